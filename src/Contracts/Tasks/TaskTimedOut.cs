namespace Ripcord.Contracts.Tasks;

/// <summary>Reminder of the task grain: its <c>timeoutSeconds</c> budget ran out.</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.task-timed-out")]
public sealed record TaskTimedOut([property: Id(0)] double TimeoutSeconds);
