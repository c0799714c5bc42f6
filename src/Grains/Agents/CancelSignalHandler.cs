using Ripcord.Contracts.Agents;

namespace Ripcord.Grains.Agents;

/// <summary>Pushes a task's cancel signal to the signal grain of the agent holding it (topic <see cref="OutboxTopics.TaskCancelSignal"/>).</summary>
public sealed class CancelSignalHandler(GrainReferences grains) : IOutboxHandler
{
    public string Topic => OutboxTopics.TaskCancelSignal;

    public async Task<object?> HandleAsync(object payload, CancellationToken cancellationToken)
    {
        var signal = (CancelSignalNotice)payload;
        if (signal.AgentId is { } agentId)
        {
            await grains.AgentSignals(agentId).Push(signal);
        }

        return null;
    }
}
