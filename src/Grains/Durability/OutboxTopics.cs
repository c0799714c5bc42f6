namespace Ripcord.Grains.Durability;

/// <summary>The topics of published outbox entries, one handler each.</summary>
public static class OutboxTopics
{
    /// <summary>A task became ready for an agent of its type: offered to its ready-tasks partition.</summary>
    public const string TaskReady = "task-ready";

    /// <summary>A cancel signal was committed (or re-emitted) for a leased task: pushed to the agent's signal grain.</summary>
    public const string TaskCancelSignal = "task-cancel-signal";

    /// <summary>Call a resource's release webhook.</summary>
    public const string ResourceRelease = "resource-release";

    /// <summary>Call an agent's kill hook.</summary>
    public const string AgentKill = "agent-kill";

    /// <summary>Redact the payloads of a case's stored history (data minimization).</summary>
    public const string HistoryRedaction = "history-redaction";
}
