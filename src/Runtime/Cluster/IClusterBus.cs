namespace Ripcord.Runtime.Cluster;

/// <summary>
/// Best-effort broadcast to every silo of the cluster (in memory: this silo only; on PostgreSQL: NOTIFY). Used for
/// hints whose loss costs latency, never correctness: a ready task is announced again by its grain and a cancel
/// signal is also returned on the agent's next heartbeat.
/// </summary>
public interface IClusterBus
{
    /// <summary>Sends <paramref name="payload"/> (at most 7,000 bytes) to every subscriber of <paramref name="topic"/> on every silo.</summary>
    ValueTask PublishAsync(string topic, string payload, CancellationToken cancellationToken = default);

    /// <summary>Subscribes this silo to a topic; dispose to unsubscribe. Handlers run on the bus's thread: keep them short.</summary>
    IDisposable Subscribe(string topic, Action<string> handler);
}
