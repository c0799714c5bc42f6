using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ripcord.Grains.Storage.InMemory;

/// <summary>The embedded silo's stores: nothing to install, nothing kept after the process ends.</summary>
public static class InMemorySiloBuilderExtensions
{
    /// <summary>
    /// Memory grain storage named <see cref="RipcordStorage.Name"/>, in-memory reminders, and the in-memory case index and
    /// history (added only if none is registered yet, so tests can bring their own).
    /// </summary>
    public static ISiloBuilder UseRipcordInMemoryStores(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddMemoryGrainStorage(RipcordStorage.Name);
        silo.UseInMemoryReminderService();
        silo.Services.TryAddSingleton<ICaseIndex, InMemoryCaseIndex>();
        silo.Services.TryAddSingleton<ICaseHistory, InMemoryCaseHistory>();
        return silo;
    }
}
