using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ripcord.Runtime.Cluster;
using Ripcord.Runtime.Storage;
using Ripcord.Runtime.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Runtime.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresHostingTests(PostgresFixture fixture)
{
    [Fact]
    public async Task UsePostgresStore_CalledTwice_HostRunsItsGrainsOnPostgres()
    {
        var schema = fixture.NewSchema();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRipcordRuntime(o => o.SiloId = "hosted");
        builder.Services.UsePostgresStore(o => o.ConnectionString = fixture.ConnectionString);
        builder.Services.UsePostgresStore(o => o.SchemaName = schema);
        builder.Services.AddGrain<CounterGrain>(CounterGrain.Type);
        using var host = builder.Build();

        await host.StartAsync();
        var client = host.Services.GetRequiredService<IGrainClient>();
        var grain = CounterGrain.Id("case-host", "a");
        await client.SendAsync(grain, new Increment(4));
        var count = await client.AskAsync<long>(grain, new GetCount(), TimeSpan.FromSeconds(30));
        var view = await host.Services.GetRequiredService<GrainRuntime>().InspectClusterAsync();
        await host.StopAsync();

        Assert.Equal(1L, count.GetValueOrThrow());
        Assert.IsType<PostgresGrainStore>(host.Services.GetRequiredService<IGrainStore>());
        Assert.IsType<PostgresClusterBus>(host.Services.GetRequiredService<IClusterBus>());
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {schema}.grains WHERE version = 1"));
        var self = Assert.Single(view.Silos);
        Assert.Equal(("hosted", "active", true, 1), (self.SiloId, self.Status, self.IsSelf, self.LeasesHeld));
    }

    [Fact]
    public async Task UsePostgresStore_WithoutConnectionString_FailsAtStartNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRipcordRuntime();
        builder.Services.UsePostgresStore();
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("ConnectionString", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterBus_PublishOnOneSilo_ReachesSubscribersOnBoth()
    {
        await using var cluster = new PostgresCluster(fixture);
        await cluster.StartSilosAsync(2);
        var here = new PostgresClusterBus(cluster.StoreOf(0));
        var there = new PostgresClusterBus(cluster.StoreOf(1));
        var heardHere = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var heardThere = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var a = here.Subscribe("signals", p => heardHere.TrySetResult(p));
        using var b = there.Subscribe("signals", p => heardThere.TrySetResult(p));

        await here.PublishAsync("signals", "cancel task-7");

        Assert.Equal("cancel task-7", await heardHere.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("cancel task-7", await heardThere.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task InspectAsync_ShowsSilosTheirLeasesAndWhoStopped()
    {
        await using var cluster = new PostgresCluster(fixture);
        await cluster.StartSilosAsync(2);
        await using var holder = new PostgresGrainStore(cluster.StoreOptions(), "silo-3");
        await holder.StartAsync(new RecordingListener(), CancellationToken.None);
        var parked = CounterGrain.Id("case-9", "x");
        await holder.ActivateAsync(parked, CancellationToken.None);
        await holder.ActivateAsync(CounterGrain.Id("case-9", "y"), CancellationToken.None);
        await cluster[0].SendAsync(parked, new Rang("parked"));
        await cluster[1].StopAsync(CancellationToken.None);

        var view = await cluster.StoreOf(0).InspectAsync("silo-1", CancellationToken.None);

        Assert.Equal("Postgres", view.Store);
        Assert.Equal([("silo-1", "active", true), ("silo-2", "stopped", false), ("silo-3", "active", false)], view.Silos.Select(s => (s.SiloId, s.Status, s.IsSelf)));
        Assert.Equal(2, view.Silos[2].LeasesHeld);
        Assert.Equal(1L, view.MailboxDepth);
    }
}
