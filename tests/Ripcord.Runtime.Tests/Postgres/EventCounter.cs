using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ripcord.Runtime.Tests.Postgres;

/// <summary>A logger that counts log events by id (e.g. stale commits), shared by several runtimes.</summary>
internal sealed class EventCounter<T> : ILogger<T>
{
    private readonly ConcurrentDictionary<int, int> _counts = new();
    private readonly ConcurrentQueue<(int EventId, int Count, TaskCompletionSource Done)> _waiters = new();

    public int this[int eventId] => _counts.GetValueOrDefault(eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    /// <summary>Completes once <paramref name="eventId"/> was logged at least <paramref name="count"/> times.</summary>
    public async Task WaitForAsync(int eventId, int count, TimeSpan safetyNet)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((eventId, count, done));
        if (this[eventId] >= count)
        {
            done.TrySetResult();
        }

        try
        {
            await done.Task.WaitAsync(safetyNet);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Event {eventId} was logged {this[eventId]} times, not {count}.");
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var count = _counts.AddOrUpdate(eventId.Id, 1, static (_, n) => n + 1);
        foreach (var waiter in _waiters)
        {
            if (waiter.EventId == eventId.Id && count >= waiter.Count)
            {
                waiter.Done.TrySetResult();
            }
        }
    }
}
