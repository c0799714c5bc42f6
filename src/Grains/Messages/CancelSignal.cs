using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>The cancel an agent must act on: stop by <see cref="Deadline"/> (then it is fenced).</summary>
public sealed record CancelSignal(CancelMode Mode, string? Reason, DateTimeOffset Deadline);
