using Ripcord.Runtime.Diagnostics;
using Ripcord.Testing.Postgres;
using Xunit.Abstractions;

namespace Ripcord.Runtime.Tests.Postgres;

/// <summary>Several runtimes (silos) in one process on one database: ownership, takeover, hand-back, polling, restarts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task OneSilo_MessagesAndAsks_AreHandled()
    {
        await using var cluster = new PostgresCluster(fixture);
        var silo = await cluster.StartSiloAsync();
        var grain = CounterGrain.Id("case-1", "g");

        await silo.SendManyAsync(Enumerable.Range(1, 100).Select(i => new Envelope(grain, new Increment(i))).ToList());
        var count = await silo.AskAsync<long>(grain, new GetCount(), TimeSpan.FromSeconds(30));

        Assert.Equal(100L, count.GetValueOrThrow());
        Assert.Equal(new CounterState(100, 5050), await silo.ReadStateAsync<CounterState>(grain));
    }

    [Fact]
    public async Task ThreeSilos_TenThousandMessages_EachTakesEffectOnce()
    {
        await using var cluster = new PostgresCluster(fixture);
        await cluster.StartSilosAsync(3);
        var grains = Enumerable.Range(0, 30).Select(i => CounterGrain.Id($"case-{i % 10}", $"g{i}")).ToList();
        const int total = 10_000;

        // Sent through all three silos at once, so every silo races for every grain.
        var batches = Enumerable.Range(0, total)
            .Select(i => new Envelope(grains[i % grains.Count], new Increment(1)))
            .Chunk(500)
            .Select((chunk, i) => cluster[i % 3].SendManyAsync(chunk).AsTask());
        await Task.WhenAll(batches);
        await cluster.Log.WaitForHandledAsync(total, TimeSpan.FromMinutes(3));

        var sum = 0L;
        foreach (var grain in grains)
        {
            sum += (await cluster[0].ReadStateAsync<CounterState>(grain))!.Count;
        }

        Assert.Equal(total, sum);
        Assert.Equal(total, cluster.Log.Handled);
        cluster.Log.AssertEachVersionCommittedOnce();
        var perSilo = cluster.Log.Commits.GroupBy(c => c.Silo).Select(g => $"{g.Key}: {g.Sum(c => c.Commit.Handled)}");
        output.WriteLine($"handled per silo: {string.Join(", ", perSilo)}; stale commits rejected: {cluster.RuntimeEvents[EventIds.StaleCommit]}");
    }

    [Fact]
    public async Task ThreeSilos_LeasesExpireUnderLoad_StaleCommitsAreRejectedAndNothingTakesEffectTwice()
    {
        await using var cluster = new PostgresCluster(fixture, configureRuntime: r => r.MaxMessagesPerTurn = 4);
        await cluster.StartSilosAsync(3);
        var grains = Enumerable.Range(0, 12).Select(i => CounterGrain.Id($"case-{i % 4}", $"g{i}")).ToList();
        const int total = 6000;
        await cluster[0].SendManyAsync(Enumerable.Range(0, total).Select(i => new Envelope(grains[i % grains.Count], new Increment(1))).ToList());

        // While the silos work, one after another is declared dead behind its back: the others take its grains
        // while it is still running turns on them, until its next heartbeat brings it back.
        for (var round = 0; cluster.Log.Handled < total && round < 30; round++)
        {
            await fixture.ExecuteAsync($"UPDATE {cluster.Schema}.silos SET expires_at = now() - interval '1 second' WHERE silo_id = 'silo-{(round % 3) + 1}'");
            await cluster.Log.WaitForHandledAsync(Math.Min(total, cluster.Log.Handled + 150));
        }

        await cluster.Log.WaitForHandledAsync(total, TimeSpan.FromMinutes(2));

        var sum = 0L;
        foreach (var grain in grains)
        {
            sum += (await cluster[0].ReadStateAsync<CounterState>(grain))!.Count;
        }

        Assert.Equal(total, sum);
        Assert.Equal(total, cluster.Log.Handled);
        cluster.Log.AssertEachVersionCommittedOnce();
        var movedGrains = cluster.Log.Commits.GroupBy(c => c.Commit.Grain).Count(g => g.Select(c => c.Silo).Distinct().Count() > 1);
        Assert.True(cluster.RuntimeEvents[EventIds.StaleCommit] > 0, "no silo was ever fenced off: the test did not exercise fencing");
        output.WriteLine($"stale commits or reads rejected: {cluster.RuntimeEvents[EventIds.StaleCommit]}; grains that moved between silos: {movedGrains}");
    }

    [Fact]
    public async Task SiloStopsHeartbeating_AnotherSiloTakesItsGrainsAndFinishesTheMailboxes()
    {
        await using var cluster = new PostgresCluster(fixture);
        var first = await cluster.StartSiloAsync();
        var grains = Enumerable.Range(0, 5).Select(i => CounterGrain.Id("case-1", $"g{i}")).ToList();
        await first.SendManyAsync(grains.Select(g => new Envelope(g, new Increment(1))).ToList());
        await cluster.Log.WaitForHandledAsync(grains.Count);
        var second = await cluster.StartSiloAsync();

        cluster.StoreOf(0).Freeze();
        await second.SendManyAsync(Enumerable.Range(0, 500).Select(i => new Envelope(grains[i % 5], new Increment(1))).ToList());
        await cluster.Log.WaitForHandledAsync(505, TimeSpan.FromSeconds(60));

        Assert.All(cluster.Log.Commits.Skip(5), c => Assert.Equal("silo-2", c.Silo));
        foreach (var grain in grains)
        {
            Assert.Equal(101L, (await second.ReadStateAsync<CounterState>(grain))!.Count);
        }

        // The frozen silo comes back: its old activations are fenced off and nothing takes effect twice.
        cluster.StoreOf(0).Thaw();
        await first.SendManyAsync(grains.Select(g => new Envelope(g, new Increment(1))).ToList());
        await cluster.Log.WaitForHandledAsync(510);
        foreach (var grain in grains)
        {
            Assert.Equal(102L, (await second.ReadStateAsync<CounterState>(grain))!.Count);
        }

        cluster.Log.AssertEachVersionCommittedOnce();
    }

    [Fact]
    public async Task CleanStop_HandsLeasesBack_AnotherSiloFinishesAtOnce()
    {
        // Leases would last a minute: finishing well before that proves the hand-back.
        await using var cluster = new PostgresCluster(fixture, o => o.LeaseDuration = TimeSpan.FromMinutes(1));
        var first = await cluster.StartSiloAsync();
        var second = await cluster.StartSiloAsync();
        var grains = Enumerable.Range(0, 4).Select(i => CounterGrain.Id("case-1", $"g{i}")).ToList();
        await first.SendManyAsync(grains.Select(g => new Envelope(g, new Increment(1))).ToList());
        await cluster.Log.WaitForHandledAsync(grains.Count);
        var owners = cluster.Log.Commits.Select(c => c.Silo).Distinct().ToList();
        var stopping = owners.Contains("silo-1") ? 0 : 1;
        var staying = 1 - stopping;

        await cluster[stopping].StopAsync(CancellationToken.None);
        await cluster[staying].SendManyAsync(grains.Select(g => new Envelope(g, new Increment(1))).ToList());
        await cluster.Log.WaitForHandledAsync(grains.Count * 2, TimeSpan.FromSeconds(20));

        Assert.All(cluster.Log.Commits.Skip(grains.Count), c => Assert.Equal(cluster[staying].SiloId, c.Silo));
    }

    [Fact]
    public async Task NotificationsOff_PollingAloneCompletesEverything()
    {
        await using var cluster = new PostgresCluster(
            fixture,
            o => o.NotificationsEnabled = false,
            r => r.PollInterval = TimeSpan.FromMilliseconds(100));
        await cluster.StartSilosAsync(3);
        var cases = Enumerable.Range(0, 6).Select(i => $"case-{i}").ToList();

        // Ping-pong chains between two grains of each case, started from different silos: hops cross silos.
        for (var i = 0; i < cases.Count; i++)
        {
            await cluster[i % 3].SendAsync(CounterGrain.Id(cases[i], "a"), new Relay("b", 10));
        }

        await cluster[1].SendManyAsync(cases.SelectMany(c => Enumerable.Range(0, 50).Select(_ => new Envelope(CounterGrain.Id(c, "b"), new Increment(1)))).ToList());
        await cluster.Log.WaitForHandledAsync((cases.Count * 11) + (cases.Count * 50), TimeSpan.FromSeconds(90));
        foreach (var c in cases)
        {
            Assert.Equal(6L, (await cluster[0].ReadStateAsync<CounterState>(CounterGrain.Id(c, "a")))!.Count);
            Assert.Equal(55L, (await cluster[0].ReadStateAsync<CounterState>(CounterGrain.Id(c, "b")))!.Count);
        }

        var counts = cases.Select((c, i) => cluster[(i + 1) % 3].AskAsync<long>(CounterGrain.Id(c, "b"), new GetCount(), TimeSpan.FromSeconds(30))).ToList();
        Assert.All(await Task.WhenAll(counts), r => Assert.Equal(55L, r.GetValueOrThrow()));
    }

    [Fact]
    public async Task PostgresRestart_UnderLoad_SilosReconnectAndFinish()
    {
        // One message per turn keeps the load going for seconds, long enough to restart under it.
        await using var cluster = new PostgresCluster(fixture, o => o.LeaseDuration = TimeSpan.FromSeconds(30), r => r.MaxMessagesPerTurn = 1);
        await cluster.StartSilosAsync(2);
        var grains = Enumerable.Range(0, 20).Select(i => CounterGrain.Id($"case-{i % 5}", $"g{i}")).ToList();
        const int total = 6000;
        await cluster[0].SendManyAsync(Enumerable.Range(0, total).Select(i => new Envelope(grains[i % grains.Count], new Increment(1))).ToList());
        await cluster.Log.WaitForHandledAsync(total / 10);

        await fixture.Server.RestartAsync();
        var handledAtRestart = cluster.Log.Handled;
        await cluster.Log.WaitForHandledAsync(total, TimeSpan.FromMinutes(2));

        Assert.True(handledAtRestart < total, $"the load ended ({handledAtRestart} handled) before the restart did");
        await cluster.StoreEvents.WaitForAsync(EventIds.ListenConnectionLost, 2, TimeSpan.FromSeconds(30));

        // Both silos re-open their LISTEN connection (one connect at start, one after the restart, each).
        await cluster.StoreEvents.WaitForAsync(EventIds.ListenConnected, 4, TimeSpan.FromSeconds(30));
        output.WriteLine($"handled when the server was back: {handledAtRestart} of {total}");

        // New work after the restart still flows, woken by notifications on the re-opened LISTEN connections.
        var ask = await cluster[1].AskAsync<long>(grains[0], new GetCount(), TimeSpan.FromSeconds(30));
        Assert.Equal(total / grains.Count, ask.GetValueOrThrow());
        var sum = 0L;
        foreach (var grain in grains)
        {
            sum += (await cluster[0].ReadStateAsync<CounterState>(grain))!.Count;
        }

        Assert.Equal(total, sum);
        cluster.Log.AssertEachVersionCommittedOnce();
    }
}
