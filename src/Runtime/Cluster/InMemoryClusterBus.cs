using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Ripcord.Runtime.Cluster;

/// <summary>The bus of a single silo: a publish calls this process's subscribers directly.</summary>
public sealed class InMemoryClusterBus : IClusterBus
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<string>>> _subscribers = new(StringComparer.Ordinal);

    public ValueTask PublishAsync(string topic, string payload, CancellationToken cancellationToken = default)
    {
        Deliver(topic, payload);
        return ValueTask.CompletedTask;
    }

    public IDisposable Subscribe(string topic, Action<string> handler)
    {
        _subscribers.AddOrUpdate(topic, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(this, topic, handler);
    }

    /// <summary>Hands a message to this silo's subscribers (a shared bus calls this for messages from other silos).</summary>
    public void Deliver(string topic, string payload)
    {
        if (_subscribers.TryGetValue(topic, out var handlers))
        {
            foreach (var handler in handlers)
            {
                handler(payload);
            }
        }
    }

    private sealed class Subscription(InMemoryClusterBus bus, string topic, Action<string> handler) : IDisposable
    {
        public void Dispose() => bus._subscribers.AddOrUpdate(topic, _ => [], (_, list) => list.Remove(handler));
    }
}
