using System.Collections.Concurrent;
using Ripcord.Runtime.Storage;

namespace Ripcord.Testing.Grains;

/// <summary>An outbox handler that records what it was handed and lets a test wait for it.</summary>
public sealed class RecordingOutboxHandler(string topic) : IOutboxHandler
{
    private readonly ConcurrentQueue<OutboxItem> _items = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public string Topic { get; } = topic;

    public IReadOnlyCollection<OutboxItem> Items => _items;

    public ValueTask HandleAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        _items.Enqueue(item);
        _arrived.Release();
        return ValueTask.CompletedTask;
    }

    public async Task<OutboxItem> NextAsync()
    {
        if (!await _arrived.WaitAsync(TurnProbe.SafetyTimeout).ConfigureAwait(false))
        {
            throw new TimeoutException("No outbox item arrived.");
        }

        return _items.Last();
    }
}
