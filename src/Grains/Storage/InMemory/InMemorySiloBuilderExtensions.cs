using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ripcord.Grains.Storage.InMemory;

/// <summary>The embedded silo's stores: nothing to install, nothing kept after the process ends.</summary>
public static class InMemorySiloBuilderExtensions
{
    /// <summary>
    /// Memory grain storage named <see cref="RipcordStorage.Name"/>, in-memory reminders, and the in-memory case index
    /// and history. The index and history are added only when none is registered yet, so a test can bring its own
    /// (one instance shared by every silo of a test cluster, for instance).
    /// </summary>
    public static ISiloBuilder UseRipcordInMemoryStores(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddMemoryGrainStorage(RipcordStorage.Name);
        silo.UseInMemoryReminderService();
        silo.Services.TryAddSingleton<ICaseIndex>(sp => new InMemoryCaseIndex(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        silo.Services.TryAddSingleton<ICaseHistory>(sp => new InMemoryCaseHistory(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return silo;
    }
}
