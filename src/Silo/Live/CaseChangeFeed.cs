using System.Threading.Channels;
using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Storage;
using Ripcord.Silo.Api;

namespace Ripcord.Silo.Live;

/// <summary>
/// The case status changes of the whole cluster, for <c>GET /api/v1/events</c>, read from the case index's change
/// feed: each stream has its own cursor, starting at the newest change when it opens, so whichever silo wrote a
/// case's row, every silo's streams see it.
/// </summary>
public sealed partial class CaseChangeFeed(ICaseIndex index, TimeProvider time, ILogger<CaseChangeFeed> logger)
{
    private const int Batch = 500;

    /// <summary>Changes a slow stream may fall behind by; older ones are dropped (the dashboard reloads on the next).</summary>
    private const int Backlog = 1000;

    /// <summary>How long one wait on the index lasts before it looks again (a wake-up may come from any silo).</summary>
    private static readonly TimeSpan WaitEvery = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Starts reading the changes from now on; dispose the subscription to stop. The changes are read in the
    /// background, so a stream busy writing does not delay the next read.
    /// </summary>
    public async Task<Subscription> ListenAsync(CancellationToken cancellationToken)
    {
        var start = await index.LastChangeSequenceAsync(cancellationToken).ConfigureAwait(false);
        var channel = Channel.CreateBounded<CaseChange>(new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
        var stopping = new CancellationTokenSource();
        var cursor = new Cursor(start, time.GetUtcNow());
        Task reading;
        using (ExecutionContext.SuppressFlow())
        {
            reading = Task.Run(() => ReadAsync(cursor, channel.Writer, stopping.Token), CancellationToken.None);
        }

        return new Subscription(channel.Reader, stopping, reading);
    }

    private async Task ReadAsync(Cursor cursor, ChannelWriter<CaseChange> changes, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                IReadOnlyList<CaseIndexEntry> rows;
                do
                {
                    rows = await index.ReadChangesAsync(cursor.After, Batch, cancellationToken).ConfigureAwait(false);
                    foreach (var row in rows)
                    {
                        if (cursor.Announces(row))
                        {
                            changes.TryWrite(new CaseChange(row.CaseId, row.Process, row.Status, "case_status_changed"));
                        }

                        if (cursor.NewRefusal(row) is { } refusal)
                        {
                            changes.TryWrite(new CaseChange(row.CaseId, row.Process, row.Status, "cancel_refused", refusal));
                        }
                    }
                }
                while (rows.Count == Batch);

                await index.WaitForChangeAsync(cursor.After, WaitEvery, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stream closed.
        }
        catch (Exception e)
        {
            // The stream ends; its client reconnects and starts from the newest change.
            LogReadFailed(e);
        }
        finally
        {
            changes.TryComplete();
        }
    }

    [LoggerMessage(ApiEventIds.ChangeFeedReadFailed, LogLevel.Warning, "Could not read the case index's changes; the live stream ends and its client reconnects")]
    private partial void LogReadFailed(Exception exception);

    /// <summary>One stream's receiver of case status changes.</summary>
    public sealed class Subscription(ChannelReader<CaseChange> changes, CancellationTokenSource stopping, Task reading) : IAsyncDisposable
    {
        public ChannelReader<CaseChange> Changes => changes;

        public async ValueTask DisposeAsync()
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            stopping.Dispose();
        }
    }

    /// <summary>
    /// One stream's position in the change feed and what it announced. A row changes for more than its status
    /// (measures, a hold, a rating of an ended case): only a status this stream has not announced for its case is
    /// announced, and a case's end once.
    /// </summary>
    private sealed class Cursor(long after, DateTimeOffset openedAt)
    {
        /// <summary>Ended cases whose end (and refusals whose cancel) this stream announced, remembered so a later note on one is not announced again.</summary>
        private const int EndsRemembered = 10_000;

        /// <summary>
        /// A row first seen ended is an end to announce only if it ended about when the stream opened or later (grains
        /// on other silos stamp it with their own clocks): an older end is a note on a case that ended before.
        /// </summary>
        private static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(30);

        private readonly Dictionary<string, CaseStatus> _open = new(StringComparer.Ordinal);
        private readonly Recent<DateTimeOffset> _refused = new(EndsRemembered);
        private readonly Recent<bool> _ended = new(EndsRemembered);

        public long After { get; private set; } = after;

        public bool Announces(CaseIndexEntry row)
        {
            After = Math.Max(After, row.ChangeSequence);
            if (!CaseLifecycle.IsTerminal(row.Status))
            {
                if (_open.TryGetValue(row.CaseId, out var last) && last == row.Status)
                {
                    return false;
                }

                _open[row.CaseId] = row.Status;
                return true;
            }

            var seenOpen = _open.Remove(row.CaseId);
            if (_ended.Contains(row.CaseId) || (!seenOpen && row.EndedAt is { } endedAt && endedAt < openedAt - ClockSlack))
            {
                return false;
            }

            _ended.Set(row.CaseId, true);
            return true;
        }

        /// <summary>
        /// The row's latest refused cancel when this stream has not announced it yet and it happened about when the
        /// stream opened or later; a row rewritten for another reason carries its old refusal along.
        /// </summary>
        public CancelRefusal? NewRefusal(CaseIndexEntry row)
        {
            if (row.Measures.LastRefusedCancel is not { } refusal || refusal.At < openedAt - ClockSlack
                || (_refused.TryGetValue(row.CaseId, out var announced) && refusal.At <= announced))
            {
                return null;
            }

            _refused.Set(row.CaseId, refusal.At);
            return refusal;
        }
    }
}
