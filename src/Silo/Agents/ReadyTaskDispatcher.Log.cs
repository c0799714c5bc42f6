using Ripcord.Silo.Api;

namespace Ripcord.Silo.Agents;

public sealed partial class ReadyTaskDispatcher
{
    [LoggerMessage(ApiEventIds.ReadyRenewalFailed, LogLevel.Warning, "Could not renew, drop or restore this silo's subscription to the ready tasks of agent type {AgentType}; tried again on the next renewal")]
    private partial void LogSubscriptionFailed(Exception exception, string agentType);
}
