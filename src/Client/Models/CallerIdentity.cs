namespace Ripcord.Client.Models;

/// <summary>Who the server takes the caller to be (<c>GET /api/v1/me</c>).</summary>
public sealed record CallerIdentity
{
    /// <summary>The principal the API key maps to.</summary>
    public string Principal { get; init; } = string.Empty;

    /// <summary>The key's roles: <c>viewer</c>, <c>operator</c>, <c>admin</c>, <c>agent</c>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Whether the silo is read-only (writes are refused).</summary>
    public bool ReadOnly { get; init; }
}
