using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ripcord.Runtime.Tests.Postgres;

/// <summary>A logger that counts log events by id (e.g. stale commits), shared by several runtimes.</summary>
internal sealed class EventCounter<T> : ILogger<T>
{
    private readonly ConcurrentDictionary<int, int> _counts = new();

    public int this[int eventId] => _counts.GetValueOrDefault(eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _counts.AddOrUpdate(eventId.Id, 1, static (_, n) => n + 1);
}
