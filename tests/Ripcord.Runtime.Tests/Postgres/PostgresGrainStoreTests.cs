using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Runtime.Storage;
using Ripcord.Runtime.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Runtime.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresGrainStoreTests(PostgresFixture fixture) : IAsyncLifetime
{
    private readonly string _schema = fixture.NewSchema();
    private readonly List<PostgresGrainStore> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task StartAsync_SeveralSilosAtOnce_MigratesOnce()
    {
        var stores = Enumerable.Range(1, 4).Select(i => NewStore($"s{i}")).ToList();

        await Task.WhenAll(stores.Select(s => s.StartAsync(new RecordingListener(), CancellationToken.None).AsTask()));

        Assert.Equal((long)PostgresSchema.CurrentVersion, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.schema_version"));
        Assert.Equal(PostgresSchema.CurrentVersion, await fixture.ScalarAsync<int>($"SELECT max(version) FROM {_schema}.schema_version"));
        Assert.Equal(4L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.silos WHERE stopped_at IS NULL"));
    }

    [Fact]
    public async Task StartAsync_SchemaOneVersionBehind_AppliesTheMissingMigration()
    {
        await StartedStoreAsync("first");
        await fixture.ExecuteAsync($"DELETE FROM {_schema}.schema_version WHERE version = 2; DROP INDEX {_schema}.grains_owner");

        await StartedStoreAsync("second");

        Assert.Equal(PostgresSchema.CurrentVersion, await fixture.ScalarAsync<int>($"SELECT max(version) FROM {_schema}.schema_version"));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{_schema}' AND indexname = 'grains_owner'"));
    }

    [Fact]
    public async Task StartAsync_SchemaNewerThanThisBuild_Refuses()
    {
        await StartedStoreAsync("first");
        await fixture.ExecuteAsync($"INSERT INTO {_schema}.schema_version (version) VALUES (99)");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartedStoreAsync("second"));

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitAsync_WholeTurn_BecomesDurableTogether()
    {
        var listener = new RecordingListener();
        var store = await StartedStoreAsync("a", listener);
        var grain = CounterGrain.Id("case-1", "g");
        var sibling = CounterGrain.Id("case-1", "h");
        var sent = new[] { new Envelope(grain, new Increment(1)), new Envelope(grain, new Increment(2)), new Envelope(grain, new Increment(3)) };
        await store.EnqueueAsync(sent, CancellationToken.None);
        Assert.True(sent[0].Id < sent[1].Id && sent[1].Id < sent[2].Id);

        var snapshot = await store.ActivateAsync(grain, CancellationToken.None);
        Assert.NotNull(snapshot);
        Assert.Null(snapshot.State);
        var mailbox = new List<Envelope>();
        Assert.Equal(3, await store.ReadMailboxAsync(grain, snapshot.Epoch, mailbox, 10, CancellationToken.None));
        Assert.Equal(sent.Select(m => m.Id), mailbox.Select(m => m.Id));
        Assert.Equal(new Increment(2), mailbox[1].Body);

        var commit = new TurnCommit(grain) { Epoch = snapshot.Epoch, ExpectedVersion = 0, State = new CounterState(2, 3), StateChanged = true };
        commit.Handled.AddRange([mailbox[0].Id, mailbox[1].Id]);
        commit.Outgoing.Add(new Envelope(sibling, new Increment(7), sender: grain));
        commit.History.Add(History("case-1", "first"));
        commit.History.Add(History("case-1", "second"));
        commit.Outbox.Add(new OutboxItem("webhook", grain, new Increment(9)));
        var due = DateTimeOffset.UtcNow.AddHours(1);
        commit.Reminders.Add(ReminderChange.Set("later", due, new Rang("later")));
        var version = await store.CommitAsync(commit, CancellationToken.None);

        Assert.Equal(1, version);
        var state = await store.ReadStateAsync(grain, CancellationToken.None);
        Assert.Equal(new CounterState(2, 3), state!.State);
        Assert.Equal(1L, await store.MailboxDepthAsync(grain));
        Assert.Equal(1L, await store.MailboxDepthAsync(sibling));
        Assert.True(commit.Outgoing[0].Id > sent[2].Id);
        Assert.True(commit.Outbox[0].Id > 0);
        var history = await store.ReadHistoryAsync("case-1", 0, 10, CancellationToken.None);
        Assert.Equal([1L, 2L], history.Select(h => h.Sequence));
        Assert.Equal(["first", "second"], history.Select(h => h.Type));
        Assert.Equal("x", history[0].Detail!.Value.GetProperty("note").GetString());
        Assert.Contains(sibling, listener.Messages);
        Assert.Single(listener.Outbox);
        Assert.Contains(listener.Reminders, r => Math.Abs((r - due).TotalMilliseconds) < 1);
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.reminders"));
    }

    [Fact]
    public async Task CommitAsync_AfterAnotherSiloTookTheLease_IsRejectedAndWritesNothing()
    {
        var a = await StartedStoreAsync("a");
        var b = await StartedStoreAsync("b");
        var grain = CounterGrain.Id("case-1", "g");
        await a.EnqueueAsync([new Envelope(grain, new Increment(1))], CancellationToken.None);
        var held = await a.ActivateAsync(grain, CancellationToken.None);
        Assert.NotNull(held);
        var mailbox = new List<Envelope>();
        await a.ReadMailboxAsync(grain, held.Epoch, mailbox, 10, CancellationToken.None);

        Assert.Null(await b.ActivateAsync(grain, CancellationToken.None));
        await ExpireSiloAsync("a");
        var taken = await b.ActivateAsync(grain, CancellationToken.None);
        Assert.NotNull(taken);
        Assert.Equal(held.Epoch + 1, taken.Epoch);

        var commit = new TurnCommit(grain) { Epoch = held.Epoch, ExpectedVersion = 0, State = new CounterState(1, 1), StateChanged = true };
        commit.Handled.Add(mailbox[0].Id);
        commit.Outgoing.Add(new Envelope(CounterGrain.Id("case-1", "h"), new Increment(1)));
        commit.History.Add(History("case-1", "stale"));
        var stale = await Assert.ThrowsAsync<StaleEpochException>(() => a.CommitAsync(commit, CancellationToken.None).AsTask());

        Assert.Contains("current epoch is", stale.Message, StringComparison.Ordinal);
        Assert.Null(await b.ReadStateAsync(grain, CancellationToken.None));
        Assert.Equal(1L, await b.MailboxDepthAsync(grain));
        Assert.Equal(0L, await b.MailboxDepthAsync(CounterGrain.Id("case-1", "h")));
        Assert.Empty(await b.ReadHistoryAsync("case-1", 0, 10, CancellationToken.None));
        await Assert.ThrowsAsync<StaleEpochException>(() => a.ReadMailboxAsync(grain, held.Epoch, [], 10, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task CommitAsync_VersionBehind_IsRejected()
    {
        var a = await StartedStoreAsync("a");
        var grain = CounterGrain.Id("case-1", "g");
        var snapshot = (await a.ActivateAsync(grain, CancellationToken.None))!;
        var first = new TurnCommit(grain) { Epoch = snapshot.Epoch, ExpectedVersion = 0, State = new CounterState(1, 1), StateChanged = true };
        Assert.Equal(1, await a.CommitAsync(first, CancellationToken.None));

        var behind = new TurnCommit(grain) { Epoch = snapshot.Epoch, ExpectedVersion = 0, State = new CounterState(5, 5), StateChanged = true };
        var stale = await Assert.ThrowsAsync<StaleEpochException>(() => a.CommitAsync(behind, CancellationToken.None).AsTask());

        Assert.Contains("version 0 expected, 1 stored", stale.Message, StringComparison.Ordinal);
        Assert.Equal(new CounterState(1, 1), (await a.ReadStateAsync(grain, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task StopAsync_HandsLeasesBackAtOnce()
    {
        var a = await StartedStoreAsync("a", configure: o => o.LeaseDuration = TimeSpan.FromMinutes(5));
        var b = await StartedStoreAsync("b", configure: o => o.LeaseDuration = TimeSpan.FromMinutes(5));
        var grain = CounterGrain.Id("case-1", "g");
        var held = (await a.ActivateAsync(grain, CancellationToken.None))!;
        Assert.Null(await b.ActivateAsync(grain, CancellationToken.None));

        await a.StopAsync(CancellationToken.None);

        // The lease would last five minutes: only the hand-back explains taking it now.
        var taken = await b.ActivateAsync(grain, CancellationToken.None);
        Assert.NotNull(taken);
        Assert.Equal(held.Epoch + 1, taken.Epoch);
    }

    [Fact]
    public async Task DeactivateAsync_ReleasesTheGrainForOtherSilos()
    {
        var a = await StartedStoreAsync("a");
        var b = await StartedStoreAsync("b");
        var grain = CounterGrain.Id("case-1", "g");
        var held = (await a.ActivateAsync(grain, CancellationToken.None))!;

        await a.DeactivateAsync(grain, held.Epoch, CancellationToken.None);

        Assert.NotNull(await b.ActivateAsync(grain, CancellationToken.None));
    }

    [Fact]
    public async Task FindGrainsWithMessagesAsync_SkipsGrainsOfLiveSilos_FindsThoseOfDeadOnes()
    {
        var a = await StartedStoreAsync("a");
        var b = await StartedStoreAsync("b");
        var heldByA = CounterGrain.Id("case-1", "a");
        var free = CounterGrain.Id("case-2", "free");
        await a.EnqueueAsync([new Envelope(heldByA, new Increment(1)), new Envelope(free, new Increment(1))], CancellationToken.None);
        await a.ActivateAsync(heldByA, CancellationToken.None);

        Assert.Equal([free], await b.FindGrainsWithMessagesAsync(100, CancellationToken.None));
        Assert.Equal(2, (await a.FindGrainsWithMessagesAsync(100, CancellationToken.None)).Count);

        await ExpireSiloAsync("a");
        Assert.Equal(2, (await b.FindGrainsWithMessagesAsync(100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ClearReminder_AfterItFired_MessageNeverArrives()
    {
        var listener = new RecordingListener();
        var store = await StartedStoreAsync("a", listener);
        var grain = CounterGrain.Id("case-1", "g");
        var epoch = (await store.ActivateAsync(grain, CancellationToken.None))!.Epoch;
        var now = DateTimeOffset.UtcNow;
        var set = new TurnCommit(grain) { Epoch = epoch };
        set.Reminders.Add(ReminderChange.Set("ack", now.AddSeconds(-1), new Rang("ack")));
        set.Reminders.Add(ReminderChange.Set("later", now.AddHours(1), new Rang("later")));
        await store.CommitAsync(set, CancellationToken.None);

        var next = await store.FireDueRemindersAsync(now, CancellationToken.None);

        Assert.Equal(now.AddHours(1).ToUnixTimeMilliseconds(), next!.Value.ToUnixTimeMilliseconds());
        var fired = new List<Envelope>();
        await store.ReadMailboxAsync(grain, epoch, fired, 10, CancellationToken.None);
        Assert.Equal("ack", Assert.Single(fired).ReminderName);
        Assert.Equal(new Rang("ack"), fired[0].Body);
        Assert.Contains(grain, listener.Messages);

        var clear = new TurnCommit(grain) { Epoch = epoch };
        clear.Reminders.Add(ReminderChange.Clear("ack"));
        await store.CommitAsync(clear, CancellationToken.None);

        Assert.Equal(0L, await store.MailboxDepthAsync(grain));
    }

    [Fact]
    public async Task FireDueRemindersAsync_TwoSilosAtOnce_FireEachReminderOnce()
    {
        var a = await StartedStoreAsync("a");
        var b = await StartedStoreAsync("b");
        var now = DateTimeOffset.UtcNow;
        for (var c = 0; c < 10; c++)
        {
            var grain = CounterGrain.Id($"case-{c}", "g");
            var epoch = (await a.ActivateAsync(grain, CancellationToken.None))!.Epoch;
            var commit = new TurnCommit(grain) { Epoch = epoch };
            for (var r = 0; r < 5; r++)
            {
                commit.Reminders.Add(ReminderChange.Set($"r{r}", now.AddMilliseconds(-r), new Rang($"r{r}")));
            }

            await a.CommitAsync(commit, CancellationToken.None);
        }

        await Task.WhenAll(a.FireDueRemindersAsync(now, CancellationToken.None).AsTask(), b.FireDueRemindersAsync(now, CancellationToken.None).AsTask());

        Assert.Equal(50L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.mailbox WHERE reminder_name IS NOT NULL"));
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.reminders"));
    }

    [Fact]
    public async Task History_GrainsOfOneCaseCommittingAtOnce_StaysGapFree()
    {
        var store = await StartedStoreAsync("a");
        var grains = Enumerable.Range(0, 5).Select(i => CounterGrain.Id("case-h", $"g{i}")).ToList();

        await Task.WhenAll(grains.Select(async grain =>
        {
            var epoch = (await store.ActivateAsync(grain, CancellationToken.None))!.Epoch;
            for (var turn = 0; turn < 20; turn++)
            {
                var commit = new TurnCommit(grain) { Epoch = epoch };
                commit.History.Add(History("case-h", "one"));
                commit.History.Add(History("case-h", "two"));
                await store.CommitAsync(commit, CancellationToken.None);
            }
        }));

        var history = await store.ReadHistoryAsync("case-h", 0, 1000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), history.Select(h => h.Sequence));
        Assert.Equal(Enumerable.Range(151, 50).Select(i => (long)i), (await store.ReadHistoryAsync("case-h", 150, 1000, CancellationToken.None)).Select(h => h.Sequence));
    }

    [Fact]
    public async Task CommitAsync_MessageToAnotherCase_IsRefused()
    {
        var store = await StartedStoreAsync("a");
        var grain = CounterGrain.Id("case-1", "g");
        var epoch = (await store.ActivateAsync(grain, CancellationToken.None))!.Epoch;
        var commit = new TurnCommit(grain) { Epoch = epoch };
        commit.Outgoing.Add(new Envelope(CounterGrain.Id("case-2", "g"), new Increment(1)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CommitAsync(commit, CancellationToken.None).AsTask());

        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.mailbox"));
    }

    [Fact]
    public async Task EnqueueAsync_SeveralCases_KeepsEachMailboxInOrder()
    {
        var store = await StartedStoreAsync("a");
        var x = CounterGrain.Id("case-x", "g");
        var y = CounterGrain.Id("case-y", "g");
        var messages = Enumerable.Range(0, 20).Select(i => new Envelope(i % 2 == 0 ? x : y, new Increment(i))).ToList();

        await store.EnqueueAsync(messages, CancellationToken.None);

        foreach (var grain in new[] { x, y })
        {
            var epoch = (await store.ActivateAsync(grain, CancellationToken.None))!.Epoch;
            var read = new List<Envelope>();
            await store.ReadMailboxAsync(grain, epoch, read, 100, CancellationToken.None);
            Assert.Equal(messages.Where(m => m.Target == grain).Select(m => ((Increment)m.Body).By), read.Select(m => ((Increment)m.Body).By));
            Assert.Equal(read.Select(m => m.Id).Order(), read.Select(m => m.Id));
        }
    }

    [Fact]
    public async Task DeadLetters_AreKeptWithTheirError()
    {
        var store = await StartedStoreAsync("a");
        var grain = CounterGrain.Id("case-1", "g");
        var epoch = (await store.ActivateAsync(grain, CancellationToken.None))!.Epoch;
        var commit = new TurnCommit(grain) { Epoch = epoch };
        commit.DeadLetters.Add(new DeadLetter(grain, 42, new Increment(3), "boom", 5, DateTimeOffset.UtcNow));
        await store.CommitAsync(commit, CancellationToken.None);

        var letter = Assert.Single(await store.ReadDeadLettersAsync(10, CancellationToken.None));

        Assert.Equal((grain, 42L, (object)new Increment(3), "boom", 5), (letter.Grain, letter.MessageId, letter.Body, letter.Error, letter.Attempts));
    }

    [Fact]
    public async Task Reply_ToAnAskSentFromAnotherSilo_ArrivesByNotification()
    {
        var asker = new RecordingListener();
        var a = await StartedStoreAsync("a", asker);
        var b = await StartedStoreAsync("b");
        await AssertReplyCrossesSilosAsync(a, b, asker, poll: false);
    }

    [Fact]
    public async Task Reply_WithNotificationsOff_ArrivesByPolling()
    {
        var asker = new RecordingListener();
        var a = await StartedStoreAsync("a", asker, o => o.NotificationsEnabled = false);
        var b = await StartedStoreAsync("b", configure: o => o.NotificationsEnabled = false);
        await AssertReplyCrossesSilosAsync(a, b, asker, poll: true);
    }

    [Fact]
    public async Task EnqueueAsync_ForAGrainHeldElsewhere_WakesTheSiloThatHoldsIt()
    {
        var holder = new RecordingListener();
        var a = await StartedStoreAsync("a");
        var b = await StartedStoreAsync("b", holder);
        var grain = CounterGrain.Id("case-1", "g");
        await b.ActivateAsync(grain, CancellationToken.None);
        var woken = holder.WaitFor(o => o is GrainId g && g == grain);

        await a.EnqueueAsync([new Envelope(grain, new Increment(1))], CancellationToken.None);

        await woken.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.mailbox"));
    }

    private async Task AssertReplyCrossesSilosAsync(PostgresGrainStore a, PostgresGrainStore b, RecordingListener asker, bool poll)
    {
        var grain = CounterGrain.Id("case-1", "g");
        var correlation = Guid.NewGuid();
        await a.EnqueueAsync([new Envelope(grain, new GetCount(), correlationId: correlation)], CancellationToken.None);
        var epoch = (await b.ActivateAsync(grain, CancellationToken.None))!.Epoch;
        var mailbox = new List<Envelope>();
        await b.ReadMailboxAsync(grain, epoch, mailbox, 10, CancellationToken.None);
        Assert.Equal(correlation, mailbox[0].CorrelationId);
        var replied = asker.WaitFor(o => o is GrainReply r && r.CorrelationId == correlation);
        var commit = new TurnCommit(grain) { Epoch = epoch };
        commit.Handled.Add(mailbox[0].Id);
        commit.Replies.Add(new GrainReply(correlation, 41L));

        await b.CommitAsync(commit, CancellationToken.None);
        if (poll)
        {
            Assert.False(replied.IsCompleted);
            await a.FindGrainsWithMessagesAsync(10, CancellationToken.None);
        }

        var reply = (GrainReply)await replied.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(41L, reply.Value);
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.replies"));
    }

    private static HistoryEvent History(string caseId, string type) => new()
    {
        CaseId = caseId,
        Type = type,
        Actor = "test",
        At = DateTimeOffset.UtcNow,
        Detail = JsonSerializer.SerializeToElement(new { note = "x" }),
    };

    private Task ExpireSiloAsync(string siloId) =>
        fixture.ExecuteAsync($"UPDATE {_schema}.silos SET expires_at = now() - interval '1 second' WHERE silo_id = '{siloId}'");

    private PostgresGrainStore NewStore(string siloId, Action<PostgresStoreOptions>? configure = null)
    {
        var options = new PostgresStoreOptions
        {
            ConnectionString = fixture.ConnectionString,
            SchemaName = _schema,
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            LeaseDuration = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        var store = new PostgresGrainStore(options, siloId);
        _stores.Add(store);
        return store;
    }

    private async Task<PostgresGrainStore> StartedStoreAsync(string siloId, RecordingListener? listener = null, Action<PostgresStoreOptions>? configure = null)
    {
        var store = NewStore(siloId, configure);
        await store.StartAsync(listener ?? new RecordingListener(), CancellationToken.None);
        return store;
    }
}
