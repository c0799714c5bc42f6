using System.Collections.Concurrent;

namespace Ripcord.Grains.Tests;

/// <summary>Stands in for an outbox handler of the agent gateway: keeps what was published on a topic.</summary>
public sealed class RecordingHandler(string topic, Action onItem) : IOutboxHandler
{
    public string Topic { get; } = topic;

    public ConcurrentQueue<object> Items { get; } = new();

    public Task<object?> HandleAsync(object payload, CancellationToken cancellationToken)
    {
        Items.Enqueue(payload);
        onItem();
        return Task.FromResult<object?>(null);
    }
}
