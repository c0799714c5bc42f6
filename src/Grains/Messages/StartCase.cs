using System.Collections.Immutable;
using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Starts a case (ask the case grain; replies <see cref="StartCaseResult"/>). Idempotent: a second start answers with the existing case.</summary>
public sealed record StartCase
{
    /// <summary>The process to run, as looked up when the request came; the case keeps this copy.</summary>
    public required ProcessDefinition Definition { get; init; }

    public JsonElement? Input { get; init; }

    public required string StartedBy { get; init; }

    /// <summary>Principals with admin rights on this case besides its starter.</summary>
    public ImmutableArray<string> Admins { get; init; } = [];

    public CancelOverrides? Cancel { get; init; }
}
