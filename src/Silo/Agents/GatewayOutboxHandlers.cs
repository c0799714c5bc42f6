using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains;
using Ripcord.Runtime.Cluster;
using Ripcord.Runtime.Storage;

namespace Ripcord.Silo.Agents;

/// <summary>Broadcasts a ready task to every silo's <see cref="ReadyTaskIndex"/>.</summary>
public sealed class TaskReadyBroadcaster(IClusterBus bus) : IOutboxHandler
{
    public string Topic => OutboxTopics.TaskReady;

    public ValueTask HandleAsync(OutboxItem item, CancellationToken cancellationToken) =>
        bus.PublishAsync(BusTopics.TaskReady, JsonSerializer.Serialize((TaskReadyNotice)item.Payload, RipcordJson.Options), cancellationToken);
}
