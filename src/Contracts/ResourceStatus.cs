using System.Text.Json.Serialization;

namespace Ripcord.Contracts;

/// <summary>The lifecycle of a resource in a case's registry. Terminal: <see cref="Released"/>, <see cref="Orphaned"/>.</summary>
[JsonConverter(typeof(ApiEnumConverter<ResourceStatus>))]
[GenerateSerializer]
[Alias("ripcord.enums.resource-status")]
public enum ResourceStatus
{
    /// <summary>Provisioned by an agent and still in use.</summary>
    [JsonStringEnumMemberName("held")]
    Held,

    /// <summary>The registry is calling its release action (retrying with backoff).</summary>
    [JsonStringEnumMemberName("releasing")]
    Releasing,

    /// <summary>Freed by its agent or by the registry's release action.</summary>
    [JsonStringEnumMemberName("released")]
    Released,

    /// <summary>Could not be released: no release action, or every attempt failed. Needs a human.</summary>
    [JsonStringEnumMemberName("orphaned")]
    Orphaned,
}
