using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ripcord.Contracts;
using Ripcord.Runtime.Diagnostics;
using Ripcord.Runtime.Storage;

namespace Ripcord.Runtime;

/// <summary>
/// The silo's grain engine: keeps activations, runs their turns on a bounded set of workers, commits each turn
/// through the store, fires reminders and carries out outbox items. See docs/architecture.md for its guarantees.
/// </summary>
public sealed partial class GrainRuntime : IGrainClient, IHostedService, IAsyncDisposable
{
    private static readonly Func<GrainId, GrainActivation> NewActivation = static id => new GrainActivation(id);

    private readonly IGrainStore _store;
    private readonly GrainTypeRegistry _registry;
    private readonly RuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IOutboxHandler> _outboxHandlers;
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<object>> _asks = new();
    private readonly Channel<GrainActivation> _ready;
    private readonly Listener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _reminderGate = new(1, 1);
    private Task[] _workers = [];
    private ITimer? _reminderTimer;
    private ITimer? _pollTimer;
    private ITimer? _sweepTimer;
    private long _nextReminderTicks = long.MaxValue;
    private int _state; // 0 new, 1 started, 2 stopped

    public GrainRuntime(
        IGrainStore store,
        GrainTypeRegistry registry,
        IOptions<RuntimeOptions> options,
        TimeProvider? time = null,
        ILogger<GrainRuntime>? logger = null,
        IEnumerable<IOutboxHandler>? outboxHandlers = null)
    {
        _store = store;
        _registry = registry;
        _options = options.Value;
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _outboxHandlers = (outboxHandlers ?? []).ToDictionary(h => h.Topic, StringComparer.Ordinal);
        _ready = Channel.CreateUnbounded<GrainActivation>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
        _listener = new Listener(this);
    }

    /// <summary>Raised on a worker thread after every committed turn. Keep handlers short.</summary>
    public event Action<TurnCommitted>? TurnCommitted;

    /// <summary>Raised on a worker thread when a handler threw, after the runtime decided to retry or dead-letter.</summary>
    public event Action<HandlerFailure>? HandlerFailed;

    public string SiloId => _options.SiloId;

    public IGrainStore Store => _store;

    /// <summary>Activations currently held in memory.</summary>
    public int ActivationCount => _activations.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return;
        }

        await _store.StartAsync(_listener, cancellationToken).ConfigureAwait(false);
        _workers = new Task[_options.MaxDegreeOfParallelism];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = Task.Run(WorkerAsync, CancellationToken.None);
        }

        _reminderTimer = _time.CreateTimer(static s => ((GrainRuntime)s!).FireReminders(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _sweepTimer = _time.CreateTimer(static s => ((GrainRuntime)s!).SweepIdle(), this, _options.IdleSweepInterval, _options.IdleSweepInterval);
        if (_store.IsShared)
        {
            _pollTimer = _time.CreateTimer(static s => ((GrainRuntime)s!).Poll(), this, _options.PollInterval, _options.PollInterval);
        }

        // Work left by an earlier run of this store (or by silos that died) and reminders already due.
        await PollAsync().ConfigureAwait(false);
        LogStarted(_options.SiloId, _workers.Length, _store.GetType().Name);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _ready.Writer.TryComplete();
        _reminderTimer?.Dispose();
        _pollTimer?.Dispose();
        _sweepTimer?.Dispose();

        // Turns in flight finish (and commit); queued ones are left in the store for the next owner. When the host's
        // shutdown time runs out first, the rest of the stop still runs: a turn that did not commit is simply redone.
        try
        {
            await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogStopTimedOut(_options.SiloId);
        }

        foreach (var activation in _activations.Values)
        {
            if (activation.IsActivated)
            {
                try
                {
                    await _store.DeactivateAsync(activation.Id, activation.Epoch, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The lease then expires on its own; another silo takes the grain over a little later.
                    LogStoreFailed(e, activation.Id);
                }
            }
        }

        _activations.Clear();
        await _store.StopAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var ask in _asks.Values)
        {
            ask.TrySetCanceled(CancellationToken.None);
        }

        LogStopped(_options.SiloId);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _reminderGate.Dispose();
    }

    public async ValueTask<long> SendAsync(GrainId target, object message, CancellationToken cancellationToken = default)
    {
        var envelope = new Envelope(target, message);
        await _store.EnqueueAsync([envelope], cancellationToken).ConfigureAwait(false);
        return envelope.Id;
    }

    /// <summary>Enqueues several one-way messages in one store call.</summary>
    public ValueTask SendManyAsync(IReadOnlyList<Envelope> messages, CancellationToken cancellationToken = default) =>
        _store.EnqueueAsync(messages, cancellationToken);

    public async Task<AskResult<TReply>> AskAsync<TReply>(GrainId target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var correlation = Guid.NewGuid();
        var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        _asks[correlation] = reply;
        var envelope = new Envelope(target, message, correlationId: correlation);
        try
        {
            await _store.EnqueueAsync([envelope], cancellationToken).ConfigureAwait(false);
            object value;
            try
            {
                value = await reply.Task.WaitAsync(timeout ?? _options.DefaultAskTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return new AskResult<TReply>(false, default, envelope.Id);
            }

            return value switch
            {
                GrainFault fault => throw new GrainHandlerException(fault.Grain, fault.Error),
                TReply typed => new AskResult<TReply>(true, typed, envelope.Id),
                _ => throw new InvalidCastException($"{target} replied {value.GetType().Name}, not {typeof(TReply).Name}."),
            };
        }
        finally
        {
            _asks.TryRemove(correlation, out _);
        }
    }

    public async ValueTask<TState?> ReadStateAsync<TState>(GrainId grain, CancellationToken cancellationToken = default)
        where TState : class
    {
        var snapshot = await _store.ReadStateAsync(grain, cancellationToken).ConfigureAwait(false);
        return snapshot?.State as TState;
    }

    /// <summary>The cluster as the store sees it; a store that cannot tell is described as this silo alone.</summary>
    public async ValueTask<Cluster.ClusterView> InspectClusterAsync(CancellationToken cancellationToken = default)
    {
        if (_store is Cluster.IClusterInspector inspector)
        {
            return await inspector.InspectAsync(_options.SiloId, cancellationToken).ConfigureAwait(false);
        }

        var deadLetters = await _store.ReadDeadLettersAsync(int.MaxValue, cancellationToken).ConfigureAwait(false);
        var self = new Cluster.SiloView(_options.SiloId, "active", _time.GetUtcNow(), _activations.Count, IsSelf: true);
        return new Cluster.ClusterView(_store.GetType().Name, [self], 0, deadLetters.Count);
    }

    public ValueTask<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string caseId, long afterSequence = 0, int max = 1000, CancellationToken cancellationToken = default) =>
        _store.ReadHistoryAsync(caseId, afterSequence, max, cancellationToken);

    public ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(int max = 100, CancellationToken cancellationToken = default) =>
        _store.ReadDeadLettersAsync(max, cancellationToken);

    /// <summary>Tells the runtime a grain may have new messages (the store's listener does this).</summary>
    internal void Signal(GrainId grain)
    {
        if (_state != 1)
        {
            return;
        }

        while (true)
        {
            var activation = _activations.GetOrAdd(grain, NewActivation);
            Interlocked.Exchange(ref activation.Pending, 1);
            var previous = Interlocked.CompareExchange(ref activation.Scheduled, GrainActivation.Queued, GrainActivation.Idle);
            if (previous == GrainActivation.Idle)
            {
                _ready.Writer.TryWrite(activation);
                return;
            }

            if (previous == GrainActivation.Queued)
            {
                return;
            }

            // Retired: make sure it is gone from the cache, then wake a fresh activation.
            _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(grain, activation));
        }
    }

    private async Task WorkerAsync()
    {
        var reader = _ready.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var activation))
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                await RunTurnAsync(activation).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask RunTurnAsync(GrainActivation activation)
    {
        var token = _stopping.Token;
        try
        {
            if (!activation.IsActivated && !await ActivateAsync(activation, token).ConfigureAwait(false))
            {
                return;
            }

            Interlocked.Exchange(ref activation.Pending, 0);
            activation.Batch.Clear();
            var count = await _store.ReadMailboxAsync(activation.Id, activation.Epoch, activation.Batch, _options.MaxMessagesPerTurn, token).ConfigureAwait(false);
            if (count == 0)
            {
                BecomeIdle(activation);
                return;
            }

            var retryAfter = await HandleBatchAsync(activation, token).ConfigureAwait(false);
            if (retryAfter is { } delay)
            {
                RequeueLater(activation, delay);
            }
            else
            {
                _ready.Writer.TryWrite(activation);
            }
        }
        catch (StaleEpochException e)
        {
            RipcordInstruments.StaleCommits.Add(1);
            LogStaleCommit(activation.Id, e.Message);
            Retire(activation);

            // The messages are still in the store: a fresh activation takes them, or learns that another silo holds the grain.
            Signal(activation.Id);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping: what was not committed stays in the store.
        }
        catch (Exception e)
        {
            // The store failed (connection lost, timeout): the commit may or may not have happened, so reload
            // the grain from the store before its next turn.
            LogStoreFailed(e, activation.Id);
            activation.IsActivated = false;
            RequeueLater(activation, Backoff(2));
        }
    }

    private async ValueTask<bool> ActivateAsync(GrainActivation activation, CancellationToken token)
    {
        var snapshot = await _store.ActivateAsync(activation.Id, token).ConfigureAwait(false);
        if (snapshot is null)
        {
            LogActivationRefused(activation.Id);
            Retire(activation);
            return false;
        }

        activation.Grain = _registry.Find(activation.Id.Type);
        activation.State = snapshot.State ?? activation.Grain?.CreateState(activation.Id);
        activation.Version = snapshot.Version;
        activation.Epoch = snapshot.Epoch;
        activation.IsActivated = true;
        return true;
    }

    /// <summary>Runs the handler over the batch and commits; returns a delay when the head message must be retried.</summary>
    private async ValueTask<TimeSpan?> HandleBatchAsync(GrainActivation activation, CancellationToken token)
    {
        var commit = activation.Commit;
        var context = activation.Context;
        commit.Clear();
        commit.Epoch = activation.Epoch;
        commit.ExpectedVersion = activation.Version;

        var now = _time.GetUtcNow();
        var original = activation.State;
        var state = original;
        TimeSpan? retryAfter = null;
        var deadLettered = 0;
        var grain = activation.Grain;

        foreach (var message in activation.Batch)
        {
            var mark = context.Save();
            context.Begin(message, now);
            Exception failure;
            try
            {
                if (grain is null)
                {
                    throw new InvalidOperationException($"No grain type '{activation.Id.Type}' is registered.");
                }

                state = grain.Handle(state!, message, context);
                commit.Handled.Add(message.Id);
                if (activation.FailingMessageId == message.Id)
                {
                    activation.FailingMessageId = 0;
                    activation.FailedAttempts = 0;
                }

                continue;
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                context.End();
            }

            context.Restore(mark);
            RipcordInstruments.HandlerFailures.Add(1);
            var attempts = activation.FailingMessageId == message.Id ? activation.FailedAttempts + 1 : 1;
            var maxAttempts = grain is null ? 1 : _options.MaxHandlerAttempts;
            LogHandlerFailed(failure, activation.Id, message.Id, attempts, maxAttempts);
            HandlerFailed?.Invoke(new HandlerFailure(activation.Id, message.Id, attempts, attempts < maxAttempts, failure));
            if (attempts >= maxAttempts)
            {
                DeadLetter(activation, message, failure, attempts, now);
                deadLettered++;
                activation.FailingMessageId = 0;
                activation.FailedAttempts = 0;
                continue;
            }

            // Keep what came before the failing message, retry it after a backoff; later messages wait behind it
            // so that a sender's order is kept.
            activation.FailingMessageId = message.Id;
            activation.FailedAttempts = attempts;
            retryAfter = Backoff(attempts);
            break;
        }

        if (commit.Handled.Count == 0)
        {
            return retryAfter;
        }

        commit.StateChanged = !ReferenceEquals(state, original);
        commit.State = state;
        var version = await _store.CommitAsync(commit, token).ConfigureAwait(false);
        activation.State = state;
        activation.Version = version;
        activation.LastActiveTimestamp = _time.GetTimestamp();
        RipcordInstruments.Turns.Add(1);
        RipcordInstruments.MessagesHandled.Add(commit.Handled.Count - deadLettered);
        TurnCommitted?.Invoke(new TurnCommitted(activation.Id, state, version, commit.Handled.Count - deadLettered, deadLettered));
        commit.Clear();
        return retryAfter;
    }

    private void DeadLetter(GrainActivation activation, Envelope message, Exception failure, int attempts, DateTimeOffset now)
    {
        var error = $"{failure.GetType().Name}: {failure.Message}";
        var commit = activation.Commit;
        commit.Handled.Add(message.Id);
        commit.DeadLetters.Add(new DeadLetter(activation.Id, message.Id, message.Body, error, attempts, now));
        commit.History.Add(new HistoryEvent
        {
            At = now,
            CaseId = activation.Id.CaseId,
            Type = "message_dead_lettered",
            Actor = "system",
            Reason = error,
            Detail = JsonSerializer.SerializeToElement(new DeadLetterDetail(activation.Id.ToString(), message.Body.GetType().Name, message.Id, attempts)),
        });
        if (message.CorrelationId is { } correlation)
        {
            commit.Replies.Add(new GrainReply(correlation, new GrainFault(activation.Id, error)));
        }

        RipcordInstruments.DeadLetters.Add(1);
        LogDeadLettered(activation.Id, message.Id, attempts, error);
    }

    private TimeSpan Backoff(int attempt)
    {
        var ticks = _options.RetryBackoffBase.Ticks * (1L << Math.Min(attempt - 1, 20));
        return TimeSpan.FromTicks(Math.Min(ticks, _options.RetryBackoffMax.Ticks));
    }

    private void RequeueLater(GrainActivation activation, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            _ready.Writer.TryWrite(activation);
            return;
        }

        _ = RequeueAfterAsync(activation, delay);
    }

    private async Task RequeueAfterAsync(GrainActivation activation, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
            _ready.Writer.TryWrite(activation);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void BecomeIdle(GrainActivation activation)
    {
        activation.LastActiveTimestamp = _time.GetTimestamp();
        Interlocked.Exchange(ref activation.Scheduled, GrainActivation.Idle);

        // A signal that came between the mailbox read and here saw Queued and did nothing: take it now.
        if (Volatile.Read(ref activation.Pending) == 1
            && Interlocked.CompareExchange(ref activation.Scheduled, GrainActivation.Queued, GrainActivation.Idle) == GrainActivation.Idle)
        {
            _ready.Writer.TryWrite(activation);
        }
    }

    private void Retire(GrainActivation activation)
    {
        Interlocked.Exchange(ref activation.Scheduled, GrainActivation.Retired);
        _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.Id, activation));
    }

    private void SweepIdle()
    {
        var cutoff = _options.ActivationIdleTimeout;
        foreach (var activation in _activations.Values)
        {
            if (Volatile.Read(ref activation.Scheduled) != GrainActivation.Idle
                || _time.GetElapsedTime(activation.LastActiveTimestamp) < cutoff
                || Interlocked.CompareExchange(ref activation.Scheduled, GrainActivation.Retired, GrainActivation.Idle) != GrainActivation.Idle)
            {
                continue;
            }

            _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.Id, activation));
            if (activation.IsActivated)
            {
                _ = _store.DeactivateAsync(activation.Id, activation.Epoch, CancellationToken.None).AsTask();
            }
        }
    }

    private void OnReminderScheduled(DateTimeOffset dueAt)
    {
        var ticks = dueAt.UtcTicks;
        while (true)
        {
            var current = Volatile.Read(ref _nextReminderTicks);
            if (ticks >= current)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _nextReminderTicks, ticks, current) == current)
            {
                var delay = dueAt - _time.GetUtcNow();
                _reminderTimer?.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
                return;
            }
        }
    }

    private void FireReminders() => _ = FireRemindersAsync();

    private async Task FireRemindersAsync()
    {
        if (_state != 1)
        {
            return;
        }

        await _reminderGate.WaitAsync().ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _nextReminderTicks, long.MaxValue);
            var next = await _store.FireDueRemindersAsync(_time.GetUtcNow(), _stopping.Token).ConfigureAwait(false);
            if (next is { } due)
            {
                OnReminderScheduled(due);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogReminderFailed(e);
            OnReminderScheduled(_time.GetUtcNow() + _options.PollInterval);
        }
        finally
        {
            _reminderGate.Release();
        }
    }

    private void Poll() => _ = PollAsync();

    private async Task PollAsync()
    {
        try
        {
            var grains = await _store.FindGrainsWithMessagesAsync(1000, _stopping.Token).ConfigureAwait(false);
            foreach (var grain in grains)
            {
                Signal(grain);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogPollFailed(e);
        }

        await FireRemindersAsync().ConfigureAwait(false);
    }

    private void OnOutbox(IReadOnlyList<OutboxItem> items)
    {
        foreach (var item in items)
        {
            if (_outboxHandlers.TryGetValue(item.Topic, out var handler))
            {
                _ = DispatchOutboxAsync(handler, item);
            }
            else
            {
                LogOutboxUnhandled(item.Topic, item.Id);
            }
        }
    }

    private async Task DispatchOutboxAsync(IOutboxHandler handler, OutboxItem item)
    {
        await Task.Yield();
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await handler.HandleAsync(item, _stopping.Token).ConfigureAwait(false);
                await _store.CompleteOutboxAsync([item.Id], _stopping.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogOutboxFailed(e, item.Id, item.Topic);
                try
                {
                    await Task.Delay(Backoff(attempt), _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnReply(GrainReply reply)
    {
        if (_asks.TryGetValue(reply.CorrelationId, out var waiter))
        {
            waiter.TrySetResult(reply.Value);
        }
    }

    private sealed record DeadLetterDetail(string Grain, string MessageType, long MessageId, int Attempts);

    private sealed class Listener(GrainRuntime runtime) : IStoreListener
    {
        public void OnMessagesAvailable(GrainId grain) => runtime.Signal(grain);

        public void OnReply(GrainReply reply) => runtime.OnReply(reply);

        public void OnOutbox(IReadOnlyList<OutboxItem> items) => runtime.OnOutbox(items);

        public void OnReminderScheduled(DateTimeOffset dueAt) => runtime.OnReminderScheduled(dueAt);
    }
}
