using Orleans.Runtime;
using Ripcord.Grains.Storage;

namespace Ripcord.Storage.Tests.Orleans;

public sealed class KeyProbeGrain(
    [PersistentState(KeyProbeGrain.StateName, RipcordStorage.Name)] IPersistentState<ProbeState> state)
    : Grain, IKeyProbeGrain
{
    public const string StateName = "ripcord-test-key";

    public async Task SetAsync(string value)
    {
        state.State.Value = value;
        state.State.Writes++;
        await state.WriteStateAsync();
    }

    public Task<string?> GetAsync() => Task.FromResult(state.State.Value);
}
