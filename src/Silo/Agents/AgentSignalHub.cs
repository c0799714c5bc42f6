using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using Ripcord.Contracts;
using Ripcord.Grains;
using Ripcord.Runtime.Cluster;

namespace Ripcord.Silo.Agents;

/// <summary>
/// The agents' signal streams connected to this silo, by agent id. Cancel signals broadcast on the cluster bus are
/// written to the streams of the agent holding the task, wherever the task grain committed them.
/// </summary>
public sealed class AgentSignalHub : IDisposable
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Channel<CancelSignalNotice>>> _streams = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    public AgentSignalHub(IClusterBus bus)
    {
        _subscription = bus.Subscribe(BusTopics.CancelSignal, payload =>
        {
            var notice = JsonSerializer.Deserialize<CancelSignalNotice>(payload, RipcordJson.Options);
            if (notice is not null)
            {
                Deliver(notice);
            }
        });
    }

    /// <summary>Streams connected now (for the cluster view and tests).</summary>
    public int ConnectedStreams => _streams.Values.Sum(s => s.Length);

    public bool IsConnected(string agentId) => _streams.TryGetValue(agentId, out var streams) && !streams.IsDefaultOrEmpty;

    /// <summary>Opens a stream for <paramref name="agentId"/>; dispose the returned lease to close it.</summary>
    public StreamLease Connect(string agentId)
    {
        var channel = Channel.CreateUnbounded<CancelSignalNotice>(new UnboundedChannelOptions { SingleReader = true });
        _streams.AddOrUpdate(agentId, _ => [channel], (_, list) => list.Add(channel));
        return new StreamLease(this, agentId, channel);
    }

    public void Deliver(CancelSignalNotice notice)
    {
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

    public void Dispose()
    {
        _subscription.Dispose();
        CloseAll();
    }

    private void Disconnect(string agentId, Channel<CancelSignalNotice> channel)
    {
        _streams.AddOrUpdate(agentId, _ => [], (_, list) => list.Remove(channel));
        _streams.TryRemove(new KeyValuePair<string, ImmutableArray<Channel<CancelSignalNotice>>>(agentId, []));
        channel.Writer.TryComplete();
    }

    /// <summary>One connected stream.</summary>
    public sealed class StreamLease(AgentSignalHub hub, string agentId, Channel<CancelSignalNotice> channel) : IDisposable
    {
        public ChannelReader<CancelSignalNotice> Signals => channel.Reader;

        public void Dispose() => hub.Disconnect(agentId, channel);
    }
}
