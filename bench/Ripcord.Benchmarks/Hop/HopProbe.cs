using System.Collections.Concurrent;
using System.Diagnostics;
using Ripcord.Contracts;

namespace Ripcord.Benchmarks.Hop;

/// <summary>When one expected call entered its grain and when its turn finished.</summary>
internal sealed class Watch
{
    public long Entered { get; set; }

    public long Exited { get; set; }

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// An incoming grain call filter that stamps expected calls: by grain key and method name, or for a
/// <see cref="IDurableGrain.Deliver"/> by the type of the mail's message. Calls nobody expects pass straight through.
/// </summary>
internal sealed class HopProbe : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(string Key, string Name), Watch> _watches = new();

    /// <summary>Watches the next call of <paramref name="name"/> (a method, or a mail's message type) on grain <paramref name="key"/>.</summary>
    public Watch Expect(string key, string name)
    {
        var watch = new Watch();
        _watches[(key, name)] = watch;
        return watch;
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Request.GetArgumentCount() == 1 && context.Request.GetArgument(0) is Mail mail ? mail.Message.GetType().Name : context.MethodName;
        if (!_watches.TryRemove((context.TargetId.Key.ToString(), name), out var watch))
        {
            await context.Invoke();
            return;
        }

        watch.Entered = Stopwatch.GetTimestamp();
        try
        {
            await context.Invoke();
        }
        finally
        {
            watch.Exited = Stopwatch.GetTimestamp();
            watch.Done.TrySetResult();
        }
    }
}
