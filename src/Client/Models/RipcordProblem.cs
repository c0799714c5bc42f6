using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ripcord.Client.Models;

/// <summary>An RFC 9457 problem-details body as the Ripcord API sends it, with its stable <see cref="Code"/>.</summary>
public sealed record RipcordProblem
{
    /// <summary>A URI reference naming the problem type.</summary>
    public string? Type { get; init; }

    /// <summary>A short summary of the problem type.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; init; }

    /// <summary>What went wrong in this occurrence, for a person to read.</summary>
    public string? Detail { get; init; }

    /// <summary>A URI reference naming this occurrence.</summary>
    public string? Instance { get; init; }

    /// <summary>The stable machine-readable code, e.g. <c>case_not_found</c> or <c>lease_lost</c>.</summary>
    public string Code { get; init; } = string.Empty;

    /// <summary>Any other members of the body.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extensions { get; init; }
}
