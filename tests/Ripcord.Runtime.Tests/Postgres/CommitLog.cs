using System.Collections.Concurrent;

namespace Ripcord.Runtime.Tests.Postgres;

/// <summary>
/// Collects the TurnCommitted events of several runtimes: which silo committed which version of which grain, and
/// how many messages were handled in all. Tests wait on it instead of sleeping.
/// </summary>
internal sealed class CommitLog
{
    private readonly Lock _gate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private long _handled;

    public ConcurrentQueue<(string Silo, TurnCommitted Commit)> Commits { get; } = new();

    public long Handled => Interlocked.Read(ref _handled);

    public void Attach(GrainRuntime runtime)
    {
        var silo = runtime.SiloId;
        runtime.TurnCommitted += commit => Record(silo, commit);
    }

    public async Task WaitForHandledAsync(long target, TimeSpan? safetyNet = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Handled >= target)
            {
                return;
            }

            _waiters.Add((target, done));
        }

        try
        {
            await done.Task.WaitAsync(safetyNet ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {Handled} of {target} messages were handled in time.");
        }
    }

    /// <summary>
    /// No turn took effect twice: two commits that reached the same version of a grain (on any silo) left the same
    /// state, so they are one effect plus read-only turns, never two turns built on the same base.
    /// </summary>
    public void AssertEachVersionCommittedOnce()
    {
        foreach (var version in Commits.Where(c => c.Commit.Handled > 0).GroupBy(c => (c.Commit.Grain, c.Commit.Version)))
        {
            Assert.Single(version.Select(c => c.Commit.State).Distinct());
        }
    }

    private void Record(string silo, TurnCommitted commit)
    {
        Commits.Enqueue((silo, commit));
        var handled = Interlocked.Add(ref _handled, commit.Handled);
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (handled >= _waiters[i].Target)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
