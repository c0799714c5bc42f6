namespace Ripcord.Contracts.Tasks;

/// <summary>Case grain to task grain: the case was redacted; erase the task's input, output, checkpoints and progress.</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.redact-task")]
public sealed record RedactTask([property: Id(0)] DateTimeOffset RedactedAt);
