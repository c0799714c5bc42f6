using Ripcord.Runtime.Cluster;

namespace Ripcord.Runtime.Storage.Postgres;

/// <summary>
/// The cluster bus over PostgreSQL: a publish reaches this silo's subscribers at once and the other silos by one
/// NOTIFY on the store's LISTEN connection. Best effort, like every NOTIFY: a silo that is reconnecting misses it.
/// With notifications off, only this silo hears its own messages.
/// </summary>
public sealed class PostgresClusterBus : IClusterBus
{
    private readonly PostgresGrainStore _store;
    private readonly InMemoryClusterBus _local = new();

    public PostgresClusterBus(PostgresGrainStore store)
    {
        _store = store;
        _store.BusMessage += _local.Deliver;
    }

    public async ValueTask PublishAsync(string topic, string payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(payload);
        if (topic.Contains('\u001e', StringComparison.Ordinal))
        {
            throw new ArgumentException("A topic cannot contain U+001E.", nameof(topic));
        }

        if (System.Text.Encoding.UTF8.GetByteCount(payload) > 7000)
        {
            throw new ArgumentException("A cluster-bus payload is at most 7,000 bytes.", nameof(payload));
        }

        _local.Deliver(topic, payload);
        await _store.PublishBusAsync(topic, payload, cancellationToken).ConfigureAwait(false);
    }

    public IDisposable Subscribe(string topic, Action<string> handler) => _local.Subscribe(topic, handler);
}
