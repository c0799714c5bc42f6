namespace Ripcord.Contracts.Cases;

/// <summary>What a Cancel Activity did to one task: already ended, cancelled at once (not started), or signalled.</summary>
[GenerateSerializer]
[Alias("ripcord.cases.task-cancel-outcome")]
public sealed record TaskCancelOutcome([property: Id(0)] string TaskId, [property: Id(1)] bool AlreadyClosed, [property: Id(2)] CaseTaskStatus Status);
