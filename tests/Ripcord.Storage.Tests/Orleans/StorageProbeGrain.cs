using Orleans.Runtime;
using Ripcord.Grains.Storage;

namespace Ripcord.Storage.Tests.Orleans;

public sealed class StorageProbeGrain(
    [PersistentState(StorageProbeGrain.StateName, RipcordStorage.Name)] IPersistentState<ProbeState> state)
    : Grain, IStorageProbeGrain, IRemindable
{
    public const string StateName = "ripcord-test-probe";

    private int _ticks;

    public async Task<string?> SetAsync(string value)
    {
        state.State.Value = value;
        state.State.Writes++;
        await state.WriteStateAsync();
        return state.Etag;
    }

    public Task<string?> GetAsync() => Task.FromResult(state.State.Value);

    public Task<string?> ETagAsync() => Task.FromResult(state.Etag);

    public Task ClearAsync() => state.ClearStateAsync();

    public async Task RemindAsync(string name, TimeSpan due, TimeSpan period) => await this.RegisterOrUpdateReminder(name, due, period);

    public async Task ForgetAsync(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<int> TicksAsync() => Task.FromResult(_ticks);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _ticks++;
        return Task.CompletedTask;
    }
}
