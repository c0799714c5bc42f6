using System.Text.Json.Serialization;

namespace Ripcord.Contracts;

/// <summary>The behaviour of a built-in join node.</summary>
[JsonConverter(typeof(ApiEnumConverter<JoinMode>))]
[GenerateSerializer]
[Alias("ripcord.enums.join-mode")]
public enum JoinMode
{
    /// <summary>XOR join: the first predecessor output wins; later ones are recorded as discarded.</summary>
    [JsonStringEnumMemberName("first")]
    First,

    /// <summary>AND join: waits for every predecessor; its output is an object keyed by predecessor id.</summary>
    [JsonStringEnumMemberName("all")]
    All,
}
