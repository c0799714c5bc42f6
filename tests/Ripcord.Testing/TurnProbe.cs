using System.Collections.Concurrent;
using Ripcord.Runtime;

namespace Ripcord.Testing;

/// <summary>
/// Waits for turns a runtime commits, by event: <c>await probe.WaitAsync(t => ...)</c> completes when a committed
/// turn (past or future) satisfies the predicate. The timeout is a safety net, not a measurement.
/// </summary>
public sealed class TurnProbe : IDisposable
{
    private readonly GrainRuntime _runtime;
    private readonly ConcurrentQueue<TurnCommitted> _seen = new();
    private readonly List<(Func<TurnCommitted, bool> Match, TaskCompletionSource<TurnCommitted> Done)> _waiters = [];
    private readonly Lock _gate = new();

    public TurnProbe(GrainRuntime runtime)
    {
        _runtime = runtime;
        _runtime.TurnCommitted += OnTurn;
    }

    public static TimeSpan SafetyTimeout { get; } = TimeSpan.FromSeconds(60);

    public IReadOnlyCollection<TurnCommitted> Seen => _seen;

    public Task<TurnCommitted> WaitAsync(Func<TurnCommitted, bool> match, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<TurnCommitted>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var turn in _seen)
            {
                if (match(turn))
                {
                    return Task.FromResult(turn);
                }
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(timeout ?? SafetyTimeout);
    }

    /// <summary>Waits for the first committed state of <paramref name="grain"/> that satisfies <paramref name="match"/>.</summary>
    public async Task<TState> WaitForStateAsync<TState>(GrainId grain, Func<TState, bool> match, TimeSpan? timeout = null)
    {
        var turn = await WaitAsync(t => t.Grain == grain && t.State is TState s && match(s), timeout).ConfigureAwait(false);
        return (TState)turn.State!;
    }

    public void Dispose() => _runtime.TurnCommitted -= OnTurn;

    private void OnTurn(TurnCommitted turn)
    {
        lock (_gate)
        {
            _seen.Enqueue(turn);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(turn))
                {
                    _waiters[i].Done.TrySetResult(turn);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
