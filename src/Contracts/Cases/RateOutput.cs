namespace Ripcord.Contracts.Cases;

/// <summary>
/// A user rates a completed case's output, 1 (useless) to 5 (excellent): the "cancel path output quality" measure
/// when the output came through a fallback (ask the case grain; replies <see cref="RateOutputResult"/>).
/// </summary>
[GenerateSerializer]
[Alias("ripcord.cases.rate-output")]
public sealed record RateOutput
{
    [Id(0)]
    public required string RatedBy { get; init; }

    [Id(1)]
    public bool HasAdminRole { get; init; }

    [Id(2)]
    public int Rating { get; init; }

    [Id(3)]
    public string? Comment { get; init; }
}
