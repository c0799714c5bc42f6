using System.Text.Json.Serialization;

namespace Ripcord.Contracts;

/// <summary>One rung of the escalation ladder for an agent that does not acknowledge a cancel.</summary>
[JsonConverter(typeof(ApiEnumConverter<EscalationAction>))]
[GenerateSerializer]
[Alias("ripcord.enums.escalation-action")]
public enum EscalationAction
{
    /// <summary>Publish the (durable) cancel signal again.</summary>
    [JsonStringEnumMemberName("reemit")]
    Reemit,

    /// <summary>Revoke the lease token, end the task as cancelled and release its resources.</summary>
    [JsonStringEnumMemberName("fence")]
    Fence,

    /// <summary>Record an alert and call the agent's kill hook, if it registered one.</summary>
    [JsonStringEnumMemberName("alert")]
    Alert,
}
