using System.Collections.Immutable;
using System.Text.Json;

namespace Ripcord.Contracts.Cases;

/// <summary>Starts a case (ask the case grain; replies <see cref="StartCaseResult"/>). Idempotent: a second start answers with the existing case.</summary>
[GenerateSerializer]
[Alias("ripcord.cases.start-case")]
public sealed record StartCase
{
    /// <summary>The process to run, as looked up when the request came; the case keeps this copy.</summary>
    [Id(0)]
    public required ProcessDefinition Definition { get; init; }

    [Id(1)]
    public JsonElement? Input { get; init; }

    [Id(2)]
    public required string StartedBy { get; init; }

    /// <summary>Principals with admin rights on this case besides its starter.</summary>
    [Id(3)]
    public ImmutableArray<string> Admins { get; init; } = [];

    [Id(4)]
    public CancelOverrides? Cancel { get; init; }
}
