namespace Ripcord.Client.Agents;

/// <summary>Stable logging event ids of the agent SDK (range 9100-9199, apart from the silo's).</summary>
internal static class AgentEventIds
{
    public const int WorkerStarted = 9100;
    public const int WorkerStopped = 9101;
    public const int PollFailed = 9102;
    public const int TaskClaimed = 9110;
    public const int TaskCompleted = 9111;
    public const int TaskFailed = 9112;
    public const int CancelReceived = 9113;
    public const int CancelAcknowledged = 9114;
    public const int LeaseLost = 9115;
    public const int TaskAbandoned = 9116;
    public const int OutputDiscarded = 9117;
    public const int HeartbeatFailed = 9118;
    public const int ReportFailed = 9119;
    public const int SignalStreamDropped = 9120;
    public const int SignalForUnknownTask = 9121;
}
