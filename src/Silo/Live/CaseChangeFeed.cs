using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using Ripcord.Contracts;
using Ripcord.Grains;
using Ripcord.Grains.Cases;
using Ripcord.Runtime;
using Ripcord.Runtime.Cluster;
using Ripcord.Silo.Agents;

namespace Ripcord.Silo.Live;

/// <summary>
/// Tells live streams when a case changed. Per case: any committed turn of one of its grains on this silo wakes
/// that case's watchers (who then read its history after what they sent). Across the cluster: case status changes
/// are broadcast on the bus, so every silo's <c>/api/v1/events</c> stream sees them.
/// </summary>
public sealed class CaseChangeFeed : IDisposable
{
    private readonly GrainRuntime _runtime;
    private readonly IClusterBus _bus;
    private readonly ConcurrentDictionary<string, Pulse> _watched = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CaseStatus> _lastStatus = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;
    private ImmutableArray<Channel<CaseChange>> _listeners = [];

    public CaseChangeFeed(GrainRuntime runtime, IClusterBus bus)
    {
        _runtime = runtime;
        _bus = bus;
        _runtime.TurnCommitted += OnTurn;
        _subscription = bus.Subscribe(BusTopics.CaseStatus, payload =>
        {
            var change = JsonSerializer.Deserialize<CaseChange>(payload, RipcordJson.Options);
            if (change is null)
            {
                return;
            }

            Wake(change.CaseId);
            foreach (var listener in _listeners)
            {
                listener.Writer.TryWrite(change);
            }
        });
    }

    /// <summary>Waits until a grain of <paramref name="caseId"/> commits a turn, or <paramref name="timeout"/> passes.</summary>
    public Task WaitForChangeAsync(string caseId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pulse = _watched.GetOrAdd(caseId, static _ => new Pulse());
        return pulse.Next.WaitAsync(timeout, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    /// <summary>Starts receiving every case status change; dispose the subscription to stop.</summary>
    public Subscription Listen()
    {
        var channel = Channel.CreateBounded<CaseChange>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        ImmutableInterlocked.Update(ref _listeners, l => l.Add(channel));
        return new Subscription(this, channel);
    }

    public void Dispose()
    {
        _runtime.TurnCommitted -= OnTurn;
        _subscription.Dispose();
    }

    private void OnTurn(TurnCommitted turn)
    {
        Wake(turn.Grain.CaseId);
        if (turn.Grain.Type != GrainTypes.Case || turn.State is not CaseState { Exists: true } state)
        {
            return;
        }

        // Remembered only while the case can still change, so a long-running silo does not keep every case it saw:
        // the end is announced once, when the entry goes; later turns of an ended case (history notes) announce nothing.
        if (CaseLifecycle.IsTerminal(state.Status))
        {
            if (!_lastStatus.TryRemove(state.CaseId, out _))
            {
                return;
            }
        }
        else if (_lastStatus.TryGetValue(state.CaseId, out var last) && last == state.Status)
        {
            return;
        }
        else
        {
            _lastStatus[state.CaseId] = state.Status;
        }

        var change = new CaseChange(state.CaseId, state.Definition?.Name ?? "", state.Status, "case_status_changed");
        _ = _bus.PublishAsync(BusTopics.CaseStatus, JsonSerializer.Serialize(change, RipcordJson.Options)).AsTask();
    }

    private void Wake(string caseId)
    {
        if (_watched.TryGetValue(caseId, out var pulse))
        {
            pulse.Fire();
        }
    }

    /// <summary>A receiver of case status changes.</summary>
    public sealed class Subscription(CaseChangeFeed feed, Channel<CaseChange> channel) : IDisposable
    {
        public ChannelReader<CaseChange> Changes => channel.Reader;

        public void Dispose()
        {
            ImmutableInterlocked.Update(ref feed._listeners, l => l.Remove(channel));
            channel.Writer.TryComplete();
        }
    }

    private sealed class Pulse
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next => Volatile.Read(ref _next).Task;

        public void Fire() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
