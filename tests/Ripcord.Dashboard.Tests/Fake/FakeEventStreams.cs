using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;

namespace Ripcord.Dashboard.Tests.Fake;

/// <summary>
/// The server-sent event streams of the fake API: one channel per open connection, keyed by stream name
/// (<c>events</c> for the dashboard-wide stream, <c>case:{id}</c> for a case). Tests push frames and can wait until
/// the dashboard has connected, so nothing is pushed into the void.
/// </summary>
public sealed class FakeEventStreams
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Channel<string>>> _subscribers = new();
    private readonly ConcurrentDictionary<string, int> _connections = new();
    private readonly object _waitersLock = new();
    private readonly List<(string Stream, int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly ConcurrentQueue<(string Stream, string? LastEventId)> _opened = new();
    private long _nextId;

    /// <summary>Every connection made so far with the Last-Event-ID header it carried.</summary>
    public IReadOnlyList<(string Stream, string? LastEventId)> Opened => _opened.ToArray();

    public const string Global = "events";

    public static string ForCase(string caseId) => "case:" + caseId;

    /// <summary>How many times the dashboard has connected to <paramref name="stream"/> so far.</summary>
    public int Connections(string stream) => _connections.GetValueOrDefault(stream);

    /// <summary>Completes once <paramref name="stream"/> has been connected to at least <paramref name="count"/> times.</summary>
    public Task WaitForConnectionAsync(string stream, int count = 1, TimeSpan? timeout = null)
    {
        lock (_waitersLock)
        {
            if (Connections(stream) >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((stream, count, done));
            return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>Sends one event to every open connection of <paramref name="stream"/>.</summary>
    public void Push(string stream, string eventType, string data)
    {
        var id = Interlocked.Increment(ref _nextId);
        var frame = new StringBuilder();
        frame.Append("id: ").Append(id).Append('\n');
        frame.Append("event: ").Append(eventType).Append('\n');
        foreach (var line in data.Split('\n'))
        {
            frame.Append("data: ").Append(line).Append('\n');
        }

        frame.Append('\n');
        Broadcast(stream, frame.ToString());
    }

    /// <summary>Sends raw bytes as they are (for parser edge cases).</summary>
    public void PushRaw(string stream, string raw) => Broadcast(stream, raw);

    /// <summary>Ends every open connection of <paramref name="stream"/>, as a server restart would.</summary>
    public void Drop(string stream)
    {
        if (_subscribers.TryGetValue(stream, out var connections))
        {
            foreach (var channel in connections.Values)
            {
                channel.Writer.TryComplete();
            }
        }
    }

    private void Broadcast(string stream, string frame)
    {
        if (_subscribers.TryGetValue(stream, out var connections))
        {
            foreach (var channel in connections.Values)
            {
                channel.Writer.TryWrite(frame);
            }
        }
    }

    public async Task ServeAsync(HttpContext context, string stream, CancellationToken stopping)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var channel = Channel.CreateUnbounded<string>();
        var id = Guid.NewGuid();
        _subscribers.GetOrAdd(stream, _ => new()).TryAdd(id, channel);
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        _opened.Enqueue((stream, lastEventId.Length == 0 ? null : lastEventId));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await context.Response.WriteAsync(": connected\n\n", linked.Token);
            await context.Response.Body.FlushAsync(linked.Token);
            Connected(stream);
            await foreach (var frame in channel.Reader.ReadAllAsync(linked.Token))
            {
                await context.Response.WriteAsync(frame, linked.Token);
                await context.Response.Body.FlushAsync(linked.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away or the fake is stopping.
        }
        finally
        {
            _subscribers[stream].TryRemove(id, out _);
        }
    }

    private void Connected(string stream)
    {
        lock (_waitersLock)
        {
            var count = _connections.AddOrUpdate(stream, 1, (_, n) => n + 1);
            foreach (var waiter in _waiters.Where(w => w.Stream == stream && w.Count <= count).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
