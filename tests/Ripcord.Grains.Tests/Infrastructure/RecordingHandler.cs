using System.Collections.Concurrent;

namespace Ripcord.Grains.Tests;

/// <summary>Stands in for an outbox handler of the agent gateway: keeps what was published on a topic.</summary>
public sealed class RecordingHandler(string topic, Action onItem) : IOutboxHandler
{
    public string Topic { get; } = topic;

    public ConcurrentQueue<object> Items { get; } = new();

    /// <summary>Asked before each item: true makes the handler fail it (as an unreachable gateway would), and it is not kept.</summary>
    public Func<object, bool>? Refuse { get; set; }

    /// <summary>How many items the handler failed.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private int _refused;

    public Task<object?> HandleAsync(object payload, CancellationToken cancellationToken)
    {
        if (Refuse?.Invoke(payload) == true)
        {
            Interlocked.Increment(ref _refused);
            onItem();
            throw new InvalidOperationException($"The {Topic} handler refused the item.");
        }

        Items.Enqueue(payload);
        onItem();
        return Task.FromResult<object?>(null);
    }
}
