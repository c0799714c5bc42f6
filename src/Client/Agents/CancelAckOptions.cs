using System.Text.Json;

namespace Ripcord.Client.Agents;

/// <summary>What a cancel acknowledgement carries (<see cref="RipcordClient.AcknowledgeCancelAsync"/>).</summary>
public sealed class CancelAckOptions
{
    /// <summary>State to resume from; handed to the node's <c>onCancel</c> fallback. Default none.</summary>
    public JsonElement? Checkpoint { get; set; }

    /// <summary>An audit snapshot of where the work stood when it stopped. Default none.</summary>
    public JsonElement? Snapshot { get; set; }
}
