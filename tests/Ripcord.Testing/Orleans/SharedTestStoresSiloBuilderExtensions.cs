using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;

namespace Ripcord.Testing.Orleans;

/// <summary>
/// Registers the shared test stores on a silo. Call it from the per-silo configuration of a test cluster
/// (<c>InProcessTestClusterBuilder.ConfigureSilo</c> runs once for every silo, also for silos started later)
/// with instances the test owns, so that every silo of the cluster sees one store.
/// </summary>
public static class SharedTestStoresSiloBuilderExtensions
{
    /// <summary>
    /// Registers <paramref name="storage"/> as the grain storage named <paramref name="storageName"/> and
    /// <paramref name="reminders"/> as the reminder table of the silo's reminder service.
    /// </summary>
    /// <param name="minimumReminderPeriod">
    /// When set, lowers <see cref="ReminderOptions.MinimumReminderPeriod"/> (1 minute by default) on this silo;
    /// the check runs on the silo where a grain registers its reminder, so every silo needs it.
    /// </param>
    public static ISiloBuilder UseSharedTestStores(
        this ISiloBuilder builder,
        SharedGrainStorage storage,
        SharedReminderTable reminders,
        string storageName,
        TimeSpan? minimumReminderPeriod = null)
    {
        builder.UseSharedGrainStorage(storage, storageName);
        builder.UseSharedReminderTable(reminders, minimumReminderPeriod);
        return builder;
    }

    /// <summary>Registers <paramref name="storage"/> as the grain storage named <paramref name="storageName"/>.</summary>
    public static ISiloBuilder UseSharedGrainStorage(this ISiloBuilder builder, SharedGrainStorage storage, string storageName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrEmpty(storageName);

        // A keyed IGrainStorage singleton under the provider name, which is where [PersistentState(name, storageName)]
        // and [StorageProvider(ProviderName = ...)] look the storage up.
        builder.Services.AddGrainStorage(storageName, (_, _) => storage);
        return builder;
    }

    /// <summary>Turns on the reminder service and makes <paramref name="reminders"/> its table.</summary>
    public static ISiloBuilder UseSharedReminderTable(this ISiloBuilder builder, SharedReminderTable reminders, TimeSpan? minimumReminderPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(reminders);

        builder.AddReminders();
        builder.Services.AddSingleton<IReminderTable>(reminders);
        if (minimumReminderPeriod is { } period)
        {
            builder.Services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = period);
        }

        return builder;
    }
}
