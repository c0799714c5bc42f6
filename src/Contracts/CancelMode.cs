using System.Text.Json.Serialization;

namespace Ripcord.Contracts;

/// <summary>How a cancel treats agents: <see cref="Standard"/> lets them stop within a grace period, <see cref="Force"/> fences at once.</summary>
[JsonConverter(typeof(ApiEnumConverter<CancelMode>))]
[GenerateSerializer]
[Alias("ripcord.enums.cancel-mode")]
public enum CancelMode
{
    [JsonStringEnumMemberName("standard")]
    Standard,

    [JsonStringEnumMemberName("force")]
    Force,
}
