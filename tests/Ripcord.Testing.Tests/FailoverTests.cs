using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Ripcord.Testing.Orleans;
using Xunit.Abstractions;

namespace Ripcord.Testing.Tests;

public sealed class FailoverTests(SharedStoresClusterFixture fixture, ITestOutputHelper output) : IClassFixture<SharedStoresClusterFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_silo_resolves_the_shared_instances()
    {
        foreach (var silo in await fixture.EnsureActiveSilosAsync(2))
        {
            Assert.Same(fixture.Storage, silo.ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SharedStoresClusterFixture.StorageName));
            Assert.Same(fixture.Reminders, silo.ServiceProvider.GetRequiredService<IReminderTable>());
        }
    }

    [Fact]
    public async Task State_written_before_the_hosting_silo_is_killed_is_read_on_the_survivor()
    {
        await fixture.EnsureActiveSilosAsync(2);
        var grain = fixture.Cluster.Client.GetGrain<IDurableProbeGrain>("state-" + Guid.NewGuid().ToString("N"));
        var writesBefore = fixture.Storage.Writes;

        await grain.SetAsync("first");
        var host = await grain.SetAsync("second");
        Assert.Equal(2, fixture.Storage.Writes - writesBefore);

        await fixture.Cluster.KillSiloAsync(fixture.SiloAt(host));
        var after = await grain.GetAsync();

        Assert.NotEqual(host, after.Silo);
        Assert.True(after.RecordExists);
        Assert.Equal("second", after.Value);
        Assert.Equal(2, after.Version);

        // The reactivated grain writes on with the ETag it read: no conflict.
        var conflictsBefore = fixture.Storage.EtagConflicts;
        await grain.SetAsync("third");
        Assert.Equal(conflictsBefore, fixture.Storage.EtagConflicts);
        Assert.True(fixture.Storage.TryGetState<ProbeState>(DurableProbeGrain.StateName, grain.GetGrainId(), out var stored, out _));
        Assert.Equal(("third", 3), (stored!.Value, stored.Version));
    }

    [Fact]
    public async Task A_reminder_of_a_grain_on_the_killed_silo_keeps_firing_on_the_survivor()
    {
        await fixture.EnsureActiveSilosAsync(2);
        var period = SharedStoresClusterFixture.MinimumReminderPeriod;

        // Find a grain whose activation and whose reminder (the reminder service owning its hash) are on the
        // same silo, so that killing that silo takes both away; about one grain in two qualifies.
        IDurableProbeGrain? grain = null;
        ReminderTick? firstTick = null;
        var attempts = 0;
        for (; attempts < 20 && grain is null; attempts++)
        {
            var key = "reminder-" + Guid.NewGuid().ToString("N");
            var candidate = fixture.Cluster.Client.GetGrain<IDurableProbeGrain>(key);
            var ticked = ReminderTickSink.WaitFor(t => t.GrainKey == key);
            await candidate.StartReminderAsync(TimeSpan.Zero, period);
            var tick = await ticked.WaitAsync(Generous);
            Assert.NotNull(tick.SenderSilo);
            if (tick.SenderSilo.Equals(tick.ActivationSilo))
            {
                grain = candidate;
                firstTick = tick;
            }
            else
            {
                await candidate.StopReminderAsync();
            }
        }

        Assert.NotNull(grain);
        var victim = fixture.SiloAt(firstTick!.ActivationSilo);
        var survivor = fixture.Cluster.GetActiveSilos().Single(s => !s.SiloAddress.Equals(victim.SiloAddress)).SiloAddress;
        var key0 = grain.GetPrimaryKeyString();
        var killedAt = DateTimeOffset.UtcNow;
        var onSurvivor = ReminderTickSink.WaitFor(t =>
            t.GrainKey == key0 && t.ActivationSilo.Equals(survivor) && survivor.Equals(t.SenderSilo) && t.At > killedAt);

        var clock = Stopwatch.StartNew();
        await fixture.Cluster.KillSiloAsync(victim);
        var resumed = await onSurvivor.WaitAsync(Generous);
        clock.Stop();

        Assert.Equal(DurableProbeGrain.ReminderName, resumed.ReminderName);
        Assert.Contains(fixture.Reminders.Snapshot(), r => r.GrainId.Equals(grain.GetGrainId()) && r.ReminderName == DurableProbeGrain.ReminderName);
        output.WriteLine($"grains tried: {attempts}; reminder resumed on the survivor {clock.ElapsedMilliseconds} ms after the kill");

        await grain.StopReminderAsync();
        Assert.DoesNotContain(fixture.Reminders.Snapshot(), r => r.GrainId.Equals(grain.GetGrainId()));
    }
}
