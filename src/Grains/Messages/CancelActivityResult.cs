using System.Collections.Immutable;

namespace Ripcord.Grains;

/// <summary>
/// Answer to <see cref="CancelActivity"/>. <see cref="AlreadyClosed"/> is true when every named task had already
/// ended (then nothing changed but a history note).
/// </summary>
public sealed record CancelActivityResult(CommandStatus Status, bool AlreadyClosed, ImmutableArray<TaskCancelOutcome> Tasks, string? Error = null);
