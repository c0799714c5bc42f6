using System.Collections.Immutable;

namespace Ripcord.Contracts.Cases;

/// <summary>
/// Answer to <see cref="CancelActivity"/>. <see cref="AlreadyClosed"/> is true when every named task had already
/// ended (then nothing changed but a history note).
/// </summary>
[GenerateSerializer]
[Alias("ripcord.cases.cancel-activity-result")]
public sealed record CancelActivityResult([property: Id(0)] CommandStatus Status, [property: Id(1)] bool AlreadyClosed, [property: Id(2)] ImmutableArray<TaskCancelOutcome> Tasks, [property: Id(3)] string? Error = null);
