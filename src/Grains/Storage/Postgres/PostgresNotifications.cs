using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// This process's one LISTEN connection, through which waits on the case index and on case histories hear of
/// changes other silos commit. Opened on the first wait and re-opened after any failure with a capped backoff;
/// every re-open wakes all waiters, because what was committed while nobody listened was not announced. NOTIFY is
/// best effort, so every wait also has a timeout and checks the database once when it starts.
/// </summary>
public sealed class PostgresNotifications : IAsyncDisposable
{
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(100);

    // How long a wait holds back its first read for the LISTEN connection to come up. A read made before LISTEN is
    // in place could miss an announcement, so such waits end at the next (re)connect instead: correct either way,
    // the hold only spares callers that extra round.
    private static readonly TimeSpan ListenHoldMax = TimeSpan.FromSeconds(2);

    private readonly NpgsqlDataSource _listenSource;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly bool _enabled;
    private readonly TimeSpan _reconnectDelayMax;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CaseSignal> _cases = new(StringComparer.Ordinal);
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private volatile bool _listening;
    private bool _disposed;

    /// <param name="listenSource">
    /// Where the listening connection comes from. It is held for the life of this object, so give it a source of
    /// its own (unpooled, with keepalives) rather than the store's pool.
    /// </param>
    public PostgresNotifications(
        NpgsqlDataSource listenSource,
        IOptions<PostgresStoreOptions> options,
        ILogger<PostgresNotifications>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(listenSource);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        PostgresSchema.ThrowIfInvalidName(settings.SchemaName);
        _listenSource = listenSource;
        _logger = logger ?? NullLogger<PostgresNotifications>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _enabled = settings.NotificationsEnabled;
        _reconnectDelayMax = settings.ListenReconnectDelayMax;
        IndexChannel = ChannelsOf(settings.SchemaName).Index;
        HistoryChannel = ChannelsOf(settings.SchemaName).History;
    }

    /// <summary>True while the LISTEN connection is up (readiness checks may show it).</summary>
    public bool IsListening => _listening;

    /// <summary>The channel the case index announces each accepted change on (payload: the change sequence).</summary>
    internal string IndexChannel { get; }

    /// <summary>The channel histories announce appends on (payload: <c>{last sequence}:{case id}</c>, or <c>*</c>).</summary>
    internal string HistoryChannel { get; }

    internal PostgresWakeSignal Index { get; } = new();

    /// <summary>Channel names of a schema: NOTIFY channels are database-wide, so the schema is in them.</summary>
    internal static (string Index, string History) ChannelsOf(string schema) => ($"ripcord_{schema}_index", $"ripcord_{schema}_history");

    /// <summary>
    /// Starts listening if nobody has yet and waits, briefly and at most <see cref="ListenHoldMax"/>, until LISTEN
    /// is in place, so that what a wait reads first is covered by the announcements it then waits for.
    /// </summary>
    internal async Task WhenListeningAsync(CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return;
        }

        EnsureStarted();
        var ready = Volatile.Read(ref _ready).Task;
        if (ready.IsCompleted)
        {
            return;
        }

        try
        {
            await ready.WaitAsync(ListenHoldMax, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Not up yet: the wait goes on without it and ends when LISTEN is back.
        }
    }

    /// <summary>Starts listening if nobody has yet; returns at once.</summary>
    internal void EnsureStarted()
    {
        if (!_enabled || Volatile.Read(ref _loop) is not null)
        {
            return;
        }

        lock (_gate)
        {
            if (_loop is null && !_disposed)
            {
                _loop = Task.Run(() => ListenLoopAsync(_stopping.Token), CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// The signal of one case's history for as long as the lease lives: signals exist only for cases somebody
    /// waits on, so announcements for other cases cost a dictionary miss.
    /// </summary>
    internal CaseSignal Subscribe(string caseId)
    {
        lock (_gate)
        {
            if (!_cases.TryGetValue(caseId, out var signal))
            {
                signal = new CaseSignal(this, caseId);
                _cases[caseId] = signal;
            }

            signal.Leases++;
            return signal;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            loop = _loop;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private void Release(CaseSignal signal)
    {
        lock (_gate)
        {
            if (--signal.Leases == 0)
            {
                _cases.Remove(signal.CaseId);
            }
        }
    }

    private async Task ListenLoopAsync(CancellationToken stopping)
    {
        var delay = FirstReconnectDelay;
        while (!stopping.IsCancellationRequested)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await _listenSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var command = new NpgsqlCommand($"LISTEN \"{IndexChannel}\"; LISTEN \"{HistoryChannel}\"", connection))
                {
                    await command.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                _listening = true;
                PostgresLog.Listening(_logger, IndexChannel, HistoryChannel);
                delay = FirstReconnectDelay;

                // Whatever committed before LISTEN took effect was announced to nobody here: waits that read before
                // it end now (their callers read again); waits held for the connection read after it.
                WakeAll();
                Volatile.Read(ref _ready).TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Whatever broke the connection, the loop lives on: a listener that stopped for good would leave
                // every wait on its timeout for the rest of the process.
                _listening = false;
                PostgresLog.ListenFailed(_logger, e, delay);
                WakeAll();
            }
            finally
            {
                _listening = false;
                lock (_gate)
                {
                    if (_ready.Task.IsCompleted)
                    {
                        _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }

                if (connection is not null)
                {
                    connection.Notification -= OnNotification;
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }

            try
            {
                await Task.Delay(delay, _timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _reconnectDelayMax.Ticks));
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (string.Equals(e.Channel, IndexChannel, StringComparison.Ordinal))
        {
            if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                Index.Raise(sequence);
            }
            else
            {
                PostgresLog.NotificationMalformed(_logger, e.Channel, e.Payload);
                Index.RaiseAll();
            }

            return;
        }

        if (!string.Equals(e.Channel, HistoryChannel, StringComparison.Ordinal))
        {
            return;
        }

        var colon = e.Payload.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && long.TryParse(e.Payload.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            CaseSignal? signal;
            lock (_gate)
            {
                _cases.TryGetValue(e.Payload[(colon + 1)..], out signal);
            }

            signal?.Signal.Raise(last);
            return;
        }

        if (!string.Equals(e.Payload, "*", StringComparison.Ordinal))
        {
            PostgresLog.NotificationMalformed(_logger, e.Channel, e.Payload);
        }

        WakeHistories();
    }

    private void WakeAll()
    {
        Index.RaiseAll();
        WakeHistories();
    }

    private void WakeHistories()
    {
        CaseSignal[] signals;
        lock (_gate)
        {
            signals = [.. _cases.Values];
        }

        foreach (var signal in signals)
        {
            signal.Signal.RaiseAll();
        }
    }

    /// <summary>A lease on one case's wake signal; dispose it when the wait ends.</summary>
    internal sealed class CaseSignal : IDisposable
    {
        private readonly PostgresNotifications _owner;

        public CaseSignal(PostgresNotifications owner, string caseId)
        {
            _owner = owner;
            CaseId = caseId;
        }

        public string CaseId { get; }

        public PostgresWakeSignal Signal { get; } = new();

        /// <summary>Waits holding this signal; guarded by the owner's lock.</summary>
        public int Leases { get; set; }

        public void Dispose() => _owner.Release(this);
    }
}
