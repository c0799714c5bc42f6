using System.Collections.Concurrent;
using Ripcord.Runtime.Storage;

namespace Ripcord.Grains.Tests;

/// <summary>Stands in for the HTTP layer's outbox handlers: keeps what was published on a topic.</summary>
public sealed class RecordingHandler(string topic, Action onItem) : IOutboxHandler
{
    public string Topic { get; } = topic;

    public ConcurrentQueue<object> Items { get; } = new();

    public ValueTask HandleAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        Items.Enqueue(item.Payload);
        onItem();
        return ValueTask.CompletedTask;
    }
}
