using Ripcord.Grains.Storage;

namespace Ripcord.Benchmarks.Hop;

/// <summary>The hop suite's floor: a trivial grain calling another, bare or with a state write on each side.</summary>
[Alias("ripcord.bench.floor-grain")]
public interface IFloorGrain : IGrainWithStringKey
{
    /// <summary>Calls <paramref name="target"/>'s <see cref="Ping"/>.</summary>
    [Alias("relay")]
    Task Relay(string target);

    [Alias("ping")]
    Task Ping();

    /// <summary>Writes this grain's state, then calls <paramref name="target"/>'s <see cref="Store"/>.</summary>
    [Alias("relay-stored")]
    Task RelayStored(string target);

    /// <summary>Writes this grain's state.</summary>
    [Alias("store")]
    Task Store();
}

/// <summary>State of a floor grain, in the same storage (and serializer) as Ripcord's grains.</summary>
public sealed class FloorState
{
    public long Writes { get; set; }
}

public sealed class FloorGrain([PersistentState("bench-floor", RipcordStorage.Name)] IPersistentState<FloorState> state) : Grain, IFloorGrain
{
    public Task Relay(string target) => GrainFactory.GetGrain<IFloorGrain>(target).Ping();

    public Task Ping() => Task.CompletedTask;

    public async Task RelayStored(string target)
    {
        await Store();
        await GrainFactory.GetGrain<IFloorGrain>(target).Store();
    }

    public Task Store()
    {
        state.State.Writes++;
        return state.WriteStateAsync();
    }
}
