using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Ripcord.Grains.Storage;
using Ripcord.Grains.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Storage.Tests.Orleans;

/// <summary>Orleans' ADO.NET clustering, grain storage and reminders, on the schema the silos migrate themselves.</summary>
[Collection(OrleansPostgresCollection.Name)]
public sealed class OrleansProvidersTests(PostgresFixture fixture)
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task Three_silos_starting_at_once_on_an_empty_schema_migrate_it_once_and_form_one_cluster()
    {
        var schema = fixture.NewSchema();
        await using var cluster = await PostgresSiloCluster.StartAsync(fixture, schema, "svc-" + schema, silos: 3);

        Assert.Equal((long)PostgresSchema.CurrentVersion, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {schema}.ripcord_schema_migrations"));
        Assert.Equal(3L, await CountMembersAsync(schema, cluster.ClusterId, Active));
        Assert.True(await fixture.ScalarAsync<int>($"SELECT version FROM {schema}.orleans_membership_version WHERE deployment_id = '{cluster.ClusterId}'") >= 3);

        // A client-only host finds the gateways through the membership table.
        var client = await cluster.StartClientAsync();
        Assert.Equal("1", await client.GetGrain<IStorageProbeGrain>("case:via-gateway").SetAsync("through a gateway"));

        await cluster.StopAsync();
        Assert.Equal(3L, await CountMembersAsync(schema, cluster.ClusterId, Dead));
    }

    [Fact]
    public async Task A_grain_writes_and_reads_its_state_and_a_lost_ETag_race_is_refused()
    {
        var schema = fixture.NewSchema();
        await using var cluster = await PostgresSiloCluster.StartAsync(fixture, schema, "svc-" + schema);
        var grain = cluster.Grains.GetGrain<IStorageProbeGrain>("case:state");

        Assert.Equal("1", await grain.SetAsync("hello"));
        Assert.Equal("2", await grain.SetAsync("hello again"));
        Assert.Equal("hello again", await grain.GetAsync());

        // The payload is System.Text.Json (no Newtonsoft $type), keyed by the state name.
        var payload = await fixture.ScalarAsync<string>(
            $"SELECT convert_from(payload_binary, 'UTF8') FROM {schema}.orleans_storage WHERE grain_type_string = '{StorageProbeGrain.StateName}'");
        Assert.DoesNotContain("$type", payload, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(payload))
        {
            Assert.Equal("hello again", json.RootElement.GetProperty("Value").GetString());
        }

        // Another writer moved the row on: the activation's ETag is stale and its write is refused.
        await fixture.ExecuteAsync($"UPDATE {schema}.orleans_storage SET version = version + 1 WHERE grain_type_string = '{StorageProbeGrain.StateName}'");
        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetAsync("stale"));

        // The refused write deactivated the activation; the next one reads the row and writes on from its version.
        Assert.Equal("4", await grain.SetAsync("fresh"));
        Assert.Equal("fresh", await grain.GetAsync());
    }

    [Fact]
    public async Task The_storage_provider_keeps_the_ETag_contract_on_the_schema()
    {
        var schema = fixture.NewSchema();
        await using var cluster = await PostgresSiloCluster.StartAsync(fixture, schema, "svc-" + schema);
        var storage = cluster.Silos[0].Services.GetRequiredKeyedService<IGrainStorage>(RipcordStorage.Name);
        var id = GrainId.Create("probe", GrainKeys.Case("direct"));
        const string State = "ripcord-test-direct";

        var first = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync(State, id, first);
        Assert.False(first.RecordExists);
        Assert.Null(first.ETag);

        first.State!.Value = "v1";
        await storage.WriteStateAsync(State, id, first);
        Assert.Equal("1", first.ETag);

        // A second writer that never read: insert-if-absent refuses it.
        var blind = new GrainState<ProbeState>(new ProbeState { Value = "blind" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(State, id, blind));

        var second = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync(State, id, second);
        Assert.Equal(("v1", "1", true), (second.State!.Value, second.ETag, second.RecordExists));

        second.State!.Value = "v2";
        await storage.WriteStateAsync(State, id, second);
        Assert.Equal("2", second.ETag);

        // The first copy still holds ETag 1.
        first.State!.Value = "lost";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(State, id, first));

        await storage.ClearStateAsync(State, id, second);
        Assert.Equal("3", second.ETag);
        Assert.False(second.RecordExists);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(State, id, new GrainState<ProbeState>(new ProbeState()) { ETag = "2", RecordExists = true }));

        var afterClear = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync(State, id, afterClear);
        Assert.Null(afterClear.State!.Value);
        Assert.Equal("3", afterClear.ETag);

        afterClear.State!.Value = "v4";
        await storage.WriteStateAsync(State, id, afterClear);
        Assert.Equal("4", afterClear.ETag);
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {schema}.orleans_storage WHERE grain_type_string = '{State}'"));
    }

    [Fact]
    public async Task Reminders_are_stored_and_tick()
    {
        var schema = fixture.NewSchema();
        await using var cluster = await PostgresSiloCluster.StartAsync(fixture, schema, "svc-" + schema);
        var grain = cluster.Grains.GetGrain<IStorageProbeGrain>("case:reminded");

        await grain.RemindAsync("wake", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.Equal(
            "wake|1000",
            await fixture.ScalarAsync<string>($"SELECT reminder_name || '|' || period FROM {schema}.orleans_reminders WHERE service_id = '{cluster.ServiceId}'"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await grain.TicksAsync() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "The reminder did not tick twice within 30 s.");
            await Task.Delay(200);
        }

        // Re-registering updates the row (its version moves); unregistering deletes it.
        await grain.RemindAsync("wake", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
        Assert.Equal(600_000L, await fixture.ScalarAsync<long>($"SELECT period FROM {schema}.orleans_reminders WHERE reminder_name = 'wake'"));
        await grain.ForgetAsync("wake");
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {schema}.orleans_reminders"));
    }

    [Fact]
    public async Task Case_keys_that_look_like_hex_integers_each_keep_their_own_row_across_a_restart()
    {
        string[] ids = ["c1", "C1", "00c1", "0c1", "020235", "20235", "0000000000000012"];
        var schema = fixture.NewSchema();
        var serviceId = "svc-" + schema;
        await using (var cluster = await PostgresSiloCluster.StartAsync(fixture, schema, serviceId))
        {
            foreach (var id in ids)
            {
                await cluster.Grains.GetGrain<IKeyProbeGrain>(GrainKeys.Case(id)).SetAsync(id);
            }

            await cluster.StopAsync();
        }

        Assert.Equal(7L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {schema}.orleans_storage WHERE grain_type_string = '{KeyProbeGrain.StateName}'"));

        await using var restarted = await PostgresSiloCluster.StartAsync(fixture, schema, serviceId);
        foreach (var id in ids)
        {
            Assert.Equal(id, await restarted.Grains.GetGrain<IKeyProbeGrain>(GrainKeys.Case(id)).GetAsync());
        }
    }

    [Fact]
    public async Task Without_the_prefix_Orleans_stores_hex_looking_keys_as_integers_and_they_share_rows()
    {
        // Why GrainKeys prefixes every key (dotnet/orleans #9706, #9737): this is the provider's behaviour in 10.4.2.
        string[] ids = ["c1", "C1", "00c1", "0c1", "020235", "20235", "0000000000000012"];
        var schema = fixture.NewSchema();
        await using var cluster = await PostgresSiloCluster.StartAsync(fixture, schema, "svc-" + schema);
        foreach (var id in ids)
        {
            await cluster.Grains.GetGrain<IKeyProbeGrain>(id).SetAsync(id);
        }

        Assert.Equal(3L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {schema}.orleans_storage WHERE grain_type_string = '{KeyProbeGrain.StateName}'"));
    }

    [Fact]
    public async Task Dead_silos_past_their_retention_are_removed_from_the_membership_table()
    {
        var schema = fixture.NewSchema();
        var clusterId = "cluster-" + schema;
        await using (var first = await PostgresSiloCluster.StartAsync(fixture, schema, "svc-" + schema, clusterId: clusterId))
        {
            await first.StopAsync();
        }

        Assert.Equal(1L, await CountMembersAsync(schema, clusterId, Dead));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using var second = await PostgresSiloCluster.StartAsync(fixture, schema, "svc-" + schema, clusterId: clusterId, configure: silo =>
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.DefunctSiloExpiration = TimeSpan.FromSeconds(1);
                o.DefunctSiloMinimumRetention = TimeSpan.FromSeconds(1);
                o.DefunctSiloCleanupPeriod = TimeSpan.FromSeconds(1);
            }));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountMembersAsync(schema, clusterId, Dead) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The dead silo's row was not removed within 30 s.");
            await Task.Delay(250);
        }

        Assert.Equal(1L, await CountMembersAsync(schema, clusterId, Active));
    }

    private Task<long> CountMembersAsync(string schema, string clusterId, int status) =>
        fixture.ScalarAsync<long>($"SELECT count(*) FROM {schema}.orleans_membership WHERE deployment_id = '{clusterId}' AND status = {status}");
}
