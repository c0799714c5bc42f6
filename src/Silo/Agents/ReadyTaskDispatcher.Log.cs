using Ripcord.Silo.Api;

namespace Ripcord.Silo.Agents;

public sealed partial class ReadyTaskDispatcher
{
    [LoggerMessage(ApiEventIds.ReadyRenewalFailed, LogLevel.Warning, "Could not renew or drop this silo's subscription to the ready tasks of agent type {AgentType}; tried again on the next renewal")]
    private partial void LogRenewalFailed(Exception exception, string agentType);

    [LoggerMessage(ApiEventIds.ReadyResubscribeFailed, LogLevel.Warning, "Could not subscribe again to the ready tasks of agent type {AgentType} after a silo left the cluster; renewed on the next renewal")]
    private partial void LogResubscribeFailed(Exception exception, string agentType);
}
