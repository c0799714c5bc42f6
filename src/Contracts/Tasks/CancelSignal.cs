namespace Ripcord.Contracts.Tasks;

/// <summary>The cancel an agent must act on: stop by <see cref="Deadline"/> (then it is fenced).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.cancel-signal")]
public sealed record CancelSignal([property: Id(0)] CancelMode Mode, [property: Id(1)] string? Reason, [property: Id(2)] DateTimeOffset Deadline);
