namespace Ripcord.Grains;

/// <summary>
/// A user rates a completed case's output, 1 (useless) to 5 (excellent): the "cancel path output quality" measure
/// when the output came through a fallback (ask the case grain; replies <see cref="RateOutputResult"/>).
/// </summary>
public sealed record RateOutput
{
    public required string RatedBy { get; init; }

    public bool HasAdminRole { get; init; }

    public int Rating { get; init; }

    public string? Comment { get; init; }
}
