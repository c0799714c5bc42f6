using System.Collections.Concurrent;
using Ripcord.Contracts;

namespace Ripcord.Grains.Storage.InMemory;

/// <summary>
/// The case histories of the embedded silo and of tests: one log per case, each under its own lock, so appends to
/// different cases never wait for each other while appends to one case are ordered. Sequences are assigned inside
/// that lock, which is what keeps them gap free with several grains of a case appending at once.
/// </summary>
public sealed class InMemoryCaseHistory : ICaseHistory
{
    private readonly ConcurrentDictionary<string, CaseLog> _cases = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    public InMemoryCaseHistory()
        : this(TimeProvider.System)
    {
    }

    /// <param name="timeProvider">The clock wait timeouts are measured on (a fake one in tests).</param>
    public InMemoryCaseHistory(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    public ValueTask AppendAsync(string caseId, IReadOnlyList<PendingHistoryEvent> events, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(caseId);
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var pending in events)
        {
            // Checked before anything is stored: an append takes effect whole or not at all.
            ArgumentNullException.ThrowIfNull(pending);
            ArgumentException.ThrowIfNullOrEmpty(pending.EventId);
        }

        var log = LogOf(caseId);
        var appended = false;
        lock (log.Gate)
        {
            foreach (var pending in events)
            {
                if (log.Ids.Add(pending.EventId))
                {
                    // Stored with the case id it is filed under, whatever the event carried.
                    var stored = pending.Event with { Sequence = log.Events.Count + 1, CaseId = caseId };
                    log.Events.Add(log.KeepSnapshots is { } keep ? HistoryRedaction.Apply(stored, keep) : stored);
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

    public ValueTask RedactAsync(string caseId, bool keepSnapshots, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(caseId);
        cancellationToken.ThrowIfCancellationRequested();
        var log = LogOf(caseId);
        lock (log.Gate)
        {
            log.KeepSnapshots = keepSnapshots;
            for (var i = 0; i < log.Events.Count; i++)
            {
                log.Events[i] = HistoryRedaction.Apply(log.Events[i], keepSnapshots);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<HistoryEvent>> ReadAsync(string caseId, long afterSequence, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
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

    public async Task WaitForAppendAsync(string caseId, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        var deadline = Pulse.DeadlineOf(timeout, _timeProvider);
        var log = LogOf(caseId);
        while (true)
        {
            var next = log.Appended.Next;
            lock (log.Gate)
            {
                if (log.Events.Count > afterSequence)
                {
                    return;
                }
            }

            if (!await Pulse.WaitAsync(next, deadline, _timeProvider, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private CaseLog LogOf(string caseId) => _cases.GetOrAdd(caseId, static _ => new CaseLog());

    private sealed class CaseLog
    {
        public Lock Gate { get; } = new();

        public List<HistoryEvent> Events { get; } = [];

        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

        public Pulse Appended { get; } = new();

        /// <summary>Set once the case was redacted: what is appended after is redacted as it is stored.</summary>
        public bool? KeepSnapshots { get; set; }
    }
}
