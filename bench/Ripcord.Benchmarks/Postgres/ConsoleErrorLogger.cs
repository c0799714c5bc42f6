using Microsoft.Extensions.Logging;

namespace Ripcord.Benchmarks.Postgres;

/// <summary>Warnings and errors to stderr, so a benchmark that stalls says why (with --verbose).</summary>
internal sealed class ConsoleErrorLogger<T> : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"{logLevel} {eventId.Id}: {formatter(state, exception)} {exception}");
        }
    }
}
