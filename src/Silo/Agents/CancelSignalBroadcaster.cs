using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains;
using Ripcord.Runtime.Cluster;
using Ripcord.Runtime.Storage;

namespace Ripcord.Silo.Agents;

/// <summary>Broadcasts a committed cancel signal to whichever silo holds the agent's signal stream.</summary>
public sealed class CancelSignalBroadcaster(IClusterBus bus) : IOutboxHandler
{
    public string Topic => OutboxTopics.TaskCancelSignal;

    public ValueTask HandleAsync(OutboxItem item, CancellationToken cancellationToken) =>
        bus.PublishAsync(BusTopics.CancelSignal, JsonSerializer.Serialize((CancelSignalNotice)item.Payload, RipcordJson.Options), cancellationToken);
}
