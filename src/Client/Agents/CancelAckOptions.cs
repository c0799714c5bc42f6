using System.Text.Json;
using Ripcord.Client.Models;

namespace Ripcord.Client.Agents;

/// <summary>What a cancel acknowledgement carries (<see cref="RipcordClient.AcknowledgeCancelAsync"/>).</summary>
public sealed class CancelAckOptions
{
    /// <summary>State to resume from; handed to the node's <c>onCancel</c> fallback. Default none.</summary>
    public JsonElement? Checkpoint { get; set; }

    /// <summary>An audit snapshot of where the work stood when it stopped. Default none.</summary>
    public JsonElement? Snapshot { get; set; }

    /// <summary>
    /// What the agent had used when it stopped, so the compute saved by the cancel is measured against its final
    /// usage rather than the last heartbeat's. Default none (the server keeps the last heartbeat's).
    /// </summary>
    public Usage? Usage { get; set; }
}
