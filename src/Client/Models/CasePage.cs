namespace Ripcord.Client.Models;

/// <summary>One page of case summaries.</summary>
public sealed record CasePage
{
    /// <summary>The cases on this page.</summary>
    public IReadOnlyList<CaseSummary> Cases { get; init; } = [];

    /// <summary>The cursor to pass as <see cref="ListCasesOptions.After"/> for the next page; <see langword="null"/> on the last page.</summary>
    public string? Next { get; init; }
}
