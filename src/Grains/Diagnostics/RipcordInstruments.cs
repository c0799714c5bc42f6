using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ripcord.Grains.Diagnostics;

/// <summary>The one <see cref="Meter"/> and <see cref="ActivitySource"/> named <c>Ripcord</c>, and the durability protocol's instruments.</summary>
public static class RipcordInstruments
{
    public const string Name = "Ripcord";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>The name of <see cref="Turns"/>, for listeners that must not touch this type while it initializes.</summary>
    public const string TurnsName = "ripcord.grains.turns";

    public static readonly Counter<long> Turns = Meter.CreateCounter<long>(TurnsName, description: "Grain turns written to storage.");

    public static readonly Counter<long> DuplicatesIgnored = Meter.CreateCounter<long>("ripcord.grains.duplicates_ignored", description: "Outbox messages delivered again and applied no second time.");

    public static readonly Counter<long> DeliveryFailures = Meter.CreateCounter<long>("ripcord.grains.delivery_failures", description: "Outbox entries that could not be delivered and wait for a retry.");

    public static readonly Counter<long> StaleWrites = Meter.CreateCounter<long>("ripcord.grains.stale_writes", description: "Writes refused because another activation wrote first (ETag conflicts).");
}
