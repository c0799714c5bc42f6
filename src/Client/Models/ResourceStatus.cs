using System.Text.Json.Serialization;

namespace Ripcord.Client.Models;

/// <summary>The status of a resource in a case's registry (snake_case on the wire).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ResourceStatus>))]
public enum ResourceStatus
{
    /// <summary>A status this version of the client does not know.</summary>
    Unknown = 0,

    /// <summary><c>held</c>: provisioned and in use.</summary>
    Held,

    /// <summary><c>releasing</c>: the registry is calling the release webhook.</summary>
    Releasing,

    /// <summary><c>released</c>: freed, by the agent or by the registry.</summary>
    Released,

    /// <summary><c>orphaned</c>: release failed after the configured attempts; needs an operator.</summary>
    Orphaned,
}
