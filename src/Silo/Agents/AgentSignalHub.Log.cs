using Ripcord.Silo.Api;

namespace Ripcord.Silo.Agents;

public sealed partial class AgentSignalHub
{
    [LoggerMessage(ApiEventIds.SignalRenewalFailed, LogLevel.Warning, "Could not renew this silo's signal subscription for agent {AgentId}; retried on the next renewal")]
    private partial void LogRenewalFailed(Exception exception, string agentId);

    [LoggerMessage(ApiEventIds.SignalUnsubscribeFailed, LogLevel.Debug, "Could not unsubscribe this silo from the signals of agent {AgentId}; the subscription lapses by itself")]
    private partial void LogUnsubscribeFailed(Exception exception, string agentId);
}
