namespace Ripcord.Grains;

/// <summary>The outbox topics the domain grains publish. The HTTP layer handles the first two; src/Grains the others.</summary>
public static class OutboxTopics
{
    /// <summary>A task became ready for an agent of its type (<see cref="TaskReadyNotice"/>).</summary>
    public const string TaskReady = "task-ready";

    /// <summary>A cancel signal was committed (or re-emitted) for a leased task (<see cref="CancelSignalNotice"/>).</summary>
    public const string TaskCancelSignal = "task-cancel-signal";

    /// <summary>Call a resource's release webhook (<see cref="ResourceReleaseRequest"/>).</summary>
    public const string ResourceRelease = "resource-release";

    /// <summary>Call an agent's kill hook (<see cref="AgentKillRequest"/>).</summary>
    public const string AgentKill = "agent-kill";
}
