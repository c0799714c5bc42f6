namespace Ripcord.Client.Models;

/// <summary>The answer to a heartbeat.</summary>
public sealed record HeartbeatReply
{
    /// <summary>A pending cancel for the task, or <see langword="null"/> when the agent should go on.</summary>
    public CancelSignal? Cancel { get; init; }
}
