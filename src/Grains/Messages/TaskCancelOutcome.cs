using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>What a Cancel Activity did to one task: already ended, cancelled at once (not started), or signalled.</summary>
public sealed record TaskCancelOutcome(string TaskId, bool AlreadyClosed, CaseTaskStatus Status);
