using System.Text.Json;
using Ripcord.Client.Models;

namespace Ripcord.Client.Agents;

/// <summary>What a heartbeat reports (<see cref="RipcordClient.HeartbeatAsync"/>).</summary>
public sealed class HeartbeatOptions
{
    /// <summary>Progress as a fraction from 0 to 1. Default none.</summary>
    public double? Progress { get; set; }

    /// <summary>Compute spent so far (totals, not increments). Default none.</summary>
    public Usage? Usage { get; set; }

    /// <summary>Compute the task is expected to need in total. Default none.</summary>
    public Usage? Estimate { get; set; }

    /// <summary>
    /// State to resume from, saved with the task (the latest wins): an <c>onCancel</c> fallback and an attempt retried
    /// after a lost lease start from it. Bounded by the server (256 KiB by default). Default none (the saved one stays).
    /// </summary>
    public JsonElement? Checkpoint { get; set; }
}
