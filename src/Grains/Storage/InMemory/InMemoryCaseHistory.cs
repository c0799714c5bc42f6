using System.Collections.Concurrent;
using Ripcord.Contracts;

namespace Ripcord.Grains.Storage.InMemory;

/// <summary>The case histories of the embedded silo: one list and one set of event ids per case.</summary>
public sealed class InMemoryCaseHistory : ICaseHistory
{
    private readonly ConcurrentDictionary<string, CaseLog> _cases = new(StringComparer.Ordinal);

    public ValueTask AppendAsync(string caseId, IReadOnlyList<PendingHistoryEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var log = _cases.GetOrAdd(caseId, static _ => new CaseLog());
        var appended = false;
        lock (log.Gate)
        {
            foreach (var pending in events)
            {
                if (log.Ids.Add(pending.EventId))
                {
                    log.Events.Add(pending.Event with { Sequence = log.Events.Count + 1 });
                    appended = true;
                }
            }
        }

        if (appended)
        {
            log.Appended.Fire();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<HistoryEvent>> ReadAsync(string caseId, long afterSequence, int max, CancellationToken cancellationToken)
    {
        if (!_cases.TryGetValue(caseId, out var log))
        {
            return ValueTask.FromResult<IReadOnlyList<HistoryEvent>>([]);
        }

        lock (log.Gate)
        {
            var from = (int)Math.Clamp(afterSequence, 0, log.Events.Count);
            var count = Math.Min(max, log.Events.Count - from);
            return ValueTask.FromResult<IReadOnlyList<HistoryEvent>>(log.Events.GetRange(from, count));
        }
    }

    public Task WaitForAppendAsync(string caseId, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var log = _cases.GetOrAdd(caseId, static _ => new CaseLog());
        var next = log.Appended.Next;
        lock (log.Gate)
        {
            if (log.Events.Count > afterSequence)
            {
                return Task.CompletedTask;
            }
        }

        return Pulse.WaitAsync(next, timeout, cancellationToken);
    }

    private sealed class CaseLog
    {
        public Lock Gate { get; } = new();

        public List<HistoryEvent> Events { get; } = [];

        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

        public Pulse Appended { get; } = new();
    }
}
