using Orleans.Runtime;

namespace Ripcord.Testing.Tests;

/// <summary>A grain with state in the shared storage and a reminder in the shared table.</summary>
[Alias("ripcord.testing.tests.IDurableProbeGrain")]
public interface IDurableProbeGrain : IGrainWithStringKey
{
    /// <summary>Stores <paramref name="value"/> and returns the silo that hosts the activation.</summary>
    [Alias("Set")]
    Task<SiloAddress> SetAsync(string value);

    [Alias("Get")]
    Task<ProbeSnapshot> GetAsync();

    /// <summary>Registers the reminder and returns the silo that hosts the activation.</summary>
    [Alias("StartReminder")]
    Task<SiloAddress> StartReminderAsync(TimeSpan dueTime, TimeSpan period);

    [Alias("StopReminder")]
    Task StopReminderAsync();
}

[GenerateSerializer]
[Alias("ripcord.testing.tests.ProbeSnapshot")]
public sealed record ProbeSnapshot(
    [property: Id(0)] string? Value,
    [property: Id(1)] int Version,
    [property: Id(2)] bool RecordExists,
    [property: Id(3)] SiloAddress Silo);

public sealed class ProbeState
{
    public string? Value { get; set; }

    public int Version { get; set; }
}

public sealed class DurableProbeGrain(
    [PersistentState(DurableProbeGrain.StateName, SharedStoresClusterFixture.StorageName)] IPersistentState<ProbeState> state,
    ILocalSiloDetails localSilo) : Grain, IDurableProbeGrain, IRemindable, IIncomingGrainCallFilter
{
    public const string StateName = "probe";
    public const string ReminderName = "probe-tick";

    private SiloAddress? _tickSender;

    public async Task<SiloAddress> SetAsync(string value)
    {
        state.State.Value = value;
        state.State.Version++;
        await state.WriteStateAsync();
        return localSilo.SiloAddress;
    }

    public Task<ProbeSnapshot> GetAsync() =>
        Task.FromResult(new ProbeSnapshot(state.State.Value, state.State.Version, state.RecordExists, localSilo.SiloAddress));

    public async Task<SiloAddress> StartReminderAsync(TimeSpan dueTime, TimeSpan period)
    {
        await this.RegisterOrUpdateReminder(ReminderName, dueTime, period);
        return localSilo.SiloAddress;
    }

    public async Task StopReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ReminderTickSink.Report(new ReminderTick(this.GetPrimaryKeyString(), reminderName, localSilo.SiloAddress, _tickSender, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    // Ticks are calls from the reminder service of the silo that owns the grain's part of the ring: the
    // sender's id is that service's system-target id, which names its silo.
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        _tickSender = context.ImplementationMethod.Name == nameof(ReceiveReminder)
            && context.SourceId is { } source
            && SystemTargetGrainId.TryParse(source, out var systemTarget)
                ? systemTarget.GetSiloAddress()
                : null;
        await context.Invoke();
    }
}

/// <summary>One reminder tick: which grain, where it ran, and which silo's reminder service sent it.</summary>
public sealed record ReminderTick(string GrainKey, string ReminderName, SiloAddress ActivationSilo, SiloAddress? SenderSilo, DateTimeOffset At);

/// <summary>Where grains report reminder ticks; tests wait here for the tick they expect.</summary>
public static class ReminderTickSink
{
    private static readonly Lock Gate = new();
    private static readonly List<(Func<ReminderTick, bool> Match, TaskCompletionSource<ReminderTick> Done)> Waiters = [];

    /// <summary>A task that completes with the first tick reported from now on that <paramref name="match"/> accepts.</summary>
    public static Task<ReminderTick> WaitFor(Func<ReminderTick, bool> match)
    {
        var done = new TaskCompletionSource<ReminderTick>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Gate)
        {
            Waiters.Add((match, done));
        }

        return done.Task;
    }

    public static void Report(ReminderTick tick)
    {
        List<TaskCompletionSource<ReminderTick>> matched = [];
        lock (Gate)
        {
            for (var i = Waiters.Count - 1; i >= 0; i--)
            {
                if (Waiters[i].Match(tick))
                {
                    matched.Add(Waiters[i].Done);
                    Waiters.RemoveAt(i);
                }
            }
        }

        foreach (var done in matched)
        {
            done.TrySetResult(tick);
        }
    }
}
