namespace Ripcord.Silo.Agents;

/// <summary>Cluster-bus topics the silo broadcasts on.</summary>
public static class BusTopics
{
    /// <summary>A task waits for an agent (JSON <see cref="Grains.TaskReadyNotice"/>).</summary>
    public const string TaskReady = "task-ready";

    /// <summary>A cancel signal for the agent holding a task (JSON <see cref="Grains.CancelSignalNotice"/>).</summary>
    public const string CancelSignal = "cancel-signal";

    /// <summary>A case changed status (JSON <see cref="Live.CaseChange"/>).</summary>
    public const string CaseStatus = "case-status";
}
