namespace Ripcord.Contracts.Cases;

/// <summary>Answer to <see cref="RateOutput"/>: <see cref="CommandStatus.Ok"/>, or why the rating was refused.</summary>
[GenerateSerializer]
[Alias("ripcord.cases.rate-output-result")]
public sealed record RateOutputResult([property: Id(0)] CommandStatus Status, [property: Id(1)] bool ViaFallback, [property: Id(2)] string? Error = null);
