using System.Collections.Frozen;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Durability;

/// <summary>What every durable grain needs besides its state, resolved once per silo.</summary>
public sealed class DurableGrainServices(
    RipcordClock clock,
    IOptions<DurabilityOptions> options,
    ICaseHistory history,
    ICaseIndex index,
    IEnumerable<IOutboxHandler> handlers,
    GrainReferences references,
    IHostApplicationLifetime lifetime,
    ClusterPeers peers,
    ILoggerFactory loggers)
{
    public RipcordClock Clock { get; } = clock;

    public DurabilityOptions Options { get; } = options.Value;

    public ICaseHistory History { get; } = history;

    public ICaseIndex Index { get; } = index;

    /// <summary>One handler per topic; a handler registered later replaces an earlier one of its topic.</summary>
    public FrozenDictionary<string, IOutboxHandler> Handlers { get; } = handlers.GroupBy(h => h.Topic, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    public GrainReferences References { get; } = references;

    /// <summary>Signalled when the silo begins to stop: work that only tidies up (compaction) is left for the next activation.</summary>
    public CancellationToken Stopping { get; } = lifetime.ApplicationStopping;

    public ILogger Logger { get; } = loggers.CreateLogger("Ripcord.Grains.Durability");

    public ClusterPeers Peers { get; } = peers;
}
