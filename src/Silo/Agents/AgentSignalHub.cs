using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Ripcord.Contracts.Agents;
using Ripcord.Grains;
using Ripcord.Grains.Agents;
using Ripcord.Grains.Storage;

namespace Ripcord.Silo.Agents;

/// <summary>
/// The agents' signal streams connected to this silo, by agent id. While this silo holds a stream of an agent, its
/// one observer is subscribed to that agent's signal grain (renewed well within
/// <see cref="AgentSignalGrain.SubscriptionLifetime"/>), so a task grain's cancel signal comes to this silo only if
/// one of that agent's streams is here.
/// </summary>
public sealed partial class AgentSignalHub : IAgentSignalObserver, IAsyncDisposable
{
    private static readonly TimeSpan RenewEvery = AgentSignalGrain.SubscriptionLifetime / 4;

    private readonly ConcurrentDictionary<string, ImmutableArray<Channel<CancelSignalNotice>>> _streams = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;
    private readonly GrainReferences _references;
    private readonly ILogger<AgentSignalHub> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private IAgentSignalObserver? _reference;
    private Task? _renewals;

    public AgentSignalHub(IGrainFactory grains, GrainReferences references, IHostApplicationLifetime lifetime, ILogger<AgentSignalHub> logger)
    {
        _grains = grains;
        _references = references;
        _logger = logger;

        // Streams end cleanly when the silo stops, instead of holding up its graceful shutdown.
        lifetime.ApplicationStopping.Register(CloseAll);
    }

    /// <summary>Streams connected now (for the cluster view and tests).</summary>
    public int ConnectedStreams => _streams.Values.Sum(s => s.Length);

    public bool IsConnected(string agentId) => _streams.TryGetValue(agentId, out var streams) && !streams.IsDefaultOrEmpty;

    /// <summary>
    /// Opens a stream for <paramref name="agentId"/>, subscribed to the agent's signal grain when this returns (so a
    /// signal committed after it is not missed), with the signals still waiting for the agent's acknowledgement
    /// already in it; dispose the lease to close it. Throws what the subscription threw.
    /// </summary>
    public async Task<StreamLease> ConnectAsync(string agentId)
    {
        var channel = Channel.CreateUnbounded<CancelSignalNotice>(new UnboundedChannelOptions { SingleReader = true });
        _streams.AddOrUpdate(agentId, _ => [channel], (_, list) => list.Add(channel));
        var lease = new StreamLease(this, agentId, channel);
        try
        {
            // A signal may come both ways (pushed while this subscribed, and waiting): a cancel is safe to receive twice.
            foreach (var waiting in await SignalGrain(agentId).Connect(Reference()))
            {
                channel.Writer.TryWrite(waiting);
            }
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        return lease;
    }

    /// <summary>A signal pushed by an agent's signal grain: written to that agent's streams on this silo.</summary>
    public Task Signal(CancelSignalNotice signal)
    {
        Deliver(signal);
        return Task.CompletedTask;
    }

    public void Deliver(CancelSignalNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.AgentId is { } agentId && _streams.TryGetValue(agentId, out var streams))
        {
            foreach (var stream in streams)
            {
                stream.Writer.TryWrite(notice);
            }
        }
    }

    /// <summary>Completes every stream, so their responses end cleanly (graceful shutdown).</summary>
    public void CloseAll()
    {
        foreach (var streams in _streams.Values)
        {
            foreach (var stream in streams)
            {
                stream.Writer.TryComplete();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        CloseAll();
        await _stopping.CancelAsync();
        if (_renewals is not null)
        {
            await _renewals.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private IAgentSignalGrain SignalGrain(string agentId) => _references.AgentSignals(agentId);

    private IAgentSignalObserver Reference()
    {
        lock (_gate)
        {
            if (_reference is null)
            {
                // The runtime holds an observer weakly; this hub lives as long as the silo and keeps its reference.
                _reference = _grains.CreateObjectReference<IAgentSignalObserver>(this);
                var reference = _reference;
                var stopping = _stopping.Token;
                using (ExecutionContext.SuppressFlow())
                {
                    // Started from the first request that needs it: the renewals must not carry that request's context.
                    _renewals = Task.Run(() => RenewAsync(reference, stopping), CancellationToken.None);
                }
            }

            return _reference;
        }
    }

    private async Task RenewAsync(IAgentSignalObserver reference, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RenewEvery);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var agentId in _streams.Keys)
            {
                if (!IsConnected(agentId))
                {
                    continue;
                }

                try
                {
                    await SignalGrain(agentId).Subscribe(reference).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // Renewed on the next tick, well before the subscription lapses; the heartbeat carries any signal meanwhile.
                    LogRenewalFailed(e, agentId);
                }
            }
        }
    }

    private void Disconnect(string agentId, Channel<CancelSignalNotice> channel)
    {
        channel.Writer.TryComplete();
        var left = _streams.AddOrUpdate(agentId, _ => [], (_, list) => list.Remove(channel));
        if (left.IsDefaultOrEmpty && _streams.TryRemove(new KeyValuePair<string, ImmutableArray<Channel<CancelSignalNotice>>>(agentId, left)) && _reference is { } reference)
        {
            _ = UnsubscribeAsync(agentId, reference);
        }
    }

    private async Task UnsubscribeAsync(string agentId, IAgentSignalObserver reference)
    {
        try
        {
            await SignalGrain(agentId).Unsubscribe(reference).ConfigureAwait(false);

            // A stream of the agent that connected meanwhile may have subscribed before this unsubscribe arrived. It
            // connects again rather than only subscribing: a signal pushed in between found no observer here and
            // waits in the grain, so it comes back with the connect (a cancel is safe to receive twice).
            if (IsConnected(agentId))
            {
                foreach (var waiting in await SignalGrain(agentId).Connect(reference).ConfigureAwait(false))
                {
                    Deliver(waiting);
                }
            }
        }
        catch (Exception e)
        {
            // A subscription left behind lapses by itself; the signals it still brings find no stream here.
            LogUnsubscribeFailed(e, agentId);
        }
    }

    /// <summary>One connected stream.</summary>
    public sealed class StreamLease(AgentSignalHub hub, string agentId, Channel<CancelSignalNotice> channel) : IDisposable
    {
        private int _disposed;

        public ChannelReader<CancelSignalNotice> Signals => channel.Reader;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                hub.Disconnect(agentId, channel);
            }
        }
    }
}
