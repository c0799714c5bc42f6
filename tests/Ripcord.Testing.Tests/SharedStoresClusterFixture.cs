using System.Text.Json;
using Orleans.TestingHost;
using Ripcord.Testing.Orleans;

namespace Ripcord.Testing.Tests;

/// <summary>
/// One two-silo in-process cluster for a test class, whose silos all use one <see cref="SharedGrainStorage"/>
/// and one <see cref="SharedReminderTable"/> owned by this fixture.
/// </summary>
public sealed class SharedStoresClusterFixture : IAsyncLifetime
{
    public const string StorageName = "shared";

    /// <summary>Reminder periods this short are allowed on every silo of the cluster.</summary>
    public static readonly TimeSpan MinimumReminderPeriod = TimeSpan.FromSeconds(1);

    public SharedGrainStorage Storage { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public SharedReminderTable Reminders { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.UseSharedTestStores(Storage, Reminders, StorageName, MinimumReminderPeriod));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }

    /// <summary>Starts silos until <paramref name="count"/> are active (earlier tests may have killed some).</summary>
    public async Task<IReadOnlyList<InProcessSiloHandle>> EnsureActiveSilosAsync(int count)
    {
        var started = false;
        while (Cluster.GetActiveSilos().Count() < count)
        {
            await Cluster.StartAdditionalSiloAsync();
            started = true;
        }

        if (started)
        {
            await Cluster.WaitForLivenessToStabilizeAsync();
        }

        return Cluster.GetActiveSilos().ToList();
    }

    public InProcessSiloHandle SiloAt(SiloAddress address) =>
        Cluster.GetActiveSilos().Single(s => s.SiloAddress.Equals(address));
}
