using Microsoft.Extensions.Options;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage;
using Ripcord.Testing.Grains;
using Xunit;

namespace Ripcord.Testing;

/// <summary>
/// The runtime's promises, written once against <see cref="IGrainStore"/>: every store runs this suite unchanged
/// by deriving from it and creating a fresh store per test.
/// </summary>
public abstract class GrainRuntimeSpecification : IAsyncLifetime
{
    private readonly List<GrainRuntime> _runtimes = [];
    private readonly List<IGrainStore> _stores = [];

    protected FakeTimeProvider Clock { get; } = new();

    protected FailurePlan Failures { get; } = new();

    protected CountdownEvent Rendezvous { get; } = new(2);

    protected RecordingOutboxHandler Outbox { get; } = new("test");

    /// <summary>A new, empty store, isolated from every other test's.</summary>
    protected abstract ValueTask<IGrainStore> CreateStoreAsync(TimeProvider time);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var runtime in _runtimes)
        {
            await runtime.DisposeAsync();
        }

        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        Rendezvous.Dispose();
    }

    protected async Task<GrainRuntime> StartRuntimeAsync(Action<RuntimeOptions>? configure = null, IGrainStore? store = null)
    {
        if (store is null)
        {
            store = await CreateStoreAsync(Clock);
            _stores.Add(store);
        }

        var options = new RuntimeOptions
        {
            MaxDegreeOfParallelism = 4,
            RetryBackoffBase = TimeSpan.Zero,
            RetryBackoffMax = TimeSpan.Zero,
            MaxHandlerAttempts = 3,
        };
        configure?.Invoke(options);
        var registry = new GrainTypeRegistry()
            .Add(CounterGrain.Type, new CounterGrain(Failures))
            .Add(SequenceGrain.Type, new SequenceGrain())
            .Add(SenderGrain.Type, new SenderGrain())
            .Add(AlarmGrain.Type, new AlarmGrain())
            .Add(MeetGrain.Type, new MeetGrain(Rendezvous));
        var runtime = new GrainRuntime(store, registry, Options.Create(options), Clock, outboxHandlers: [Outbox]);
        _runtimes.Add(runtime);
        await runtime.StartAsync(CancellationToken.None);
        return runtime;
    }

    [Fact]
    public async Task Send_ToGrainThatDoesNotExistYet_ActivatesItWithItsInitialState()
    {
        var runtime = await StartRuntimeAsync();
        using var probe = new TurnProbe(runtime);
        var grain = CounterGrain.Id("case-new", "fresh");

        Assert.Null(await runtime.ReadStateAsync<CounterState>(grain));
        await runtime.SendAsync(grain, new Increment(5));

        var state = await probe.WaitForStateAsync<CounterState>(grain, s => s.Value == 5);
        Assert.Equal(5, state.Value);
        Assert.Equal(5, (await runtime.ReadStateAsync<CounterState>(grain))!.Value);
    }

    [Fact]
    public async Task Ask_GrainReplies_ReturnsTheReplyCommittedByTheTurn()
    {
        var runtime = await StartRuntimeAsync();
        var grain = CounterGrain.Id("case-ask", "a");
        await runtime.SendAsync(grain, new Increment(41));

        var result = await runtime.AskAsync<long>(grain, new FailWhilePlanned("none"), TurnProbe.SafetyTimeout);

        Assert.True(result.IsAnswered);
        Assert.Equal(42, result.Value);
        Assert.True(result.MessageId > 0);
    }

    [Fact]
    public async Task Ask_NoReplyInTime_ReportsAcceptedNotAnsweredAndKeepsTheRequest()
    {
        var runtime = await StartRuntimeAsync();
        using var probe = new TurnProbe(runtime);
        var grain = CounterGrain.Id("case-ask-timeout", "a");

        var ask = runtime.AskAsync<long>(grain, new Ignore(), TimeSpan.FromSeconds(5));
        await probe.WaitAsync(t => t.Grain == grain);
        Assert.False(ask.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(6));
        var result = await ask.WaitAsync(TurnProbe.SafetyTimeout);

        Assert.False(result.IsAnswered);
        Assert.True(result.MessageId > 0);
        Assert.Throws<TimeoutException>(() => result.GetValueOrThrow());
    }

    [Fact]
    public async Task Handler_Throws_LeavesStateOutgoingMessagesAndMailboxUntouched()
    {
        var runtime = await StartRuntimeAsync(o =>
        {
            o.MaxHandlerAttempts = 3;
            o.RetryBackoffBase = TimeSpan.FromSeconds(1);
            o.RetryBackoffMax = TimeSpan.FromSeconds(1);
        });
        using var probe = new TurnProbe(runtime);
        var failures = new List<HandlerFailure>();
        var firstFailure = new TaskCompletionSource<HandlerFailure>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.HandlerFailed += f =>
        {
            lock (failures)
            {
                failures.Add(f);
            }

            firstFailure.TrySetResult(f);
        };
        var grain = CounterGrain.Id("case-throw", "source");
        var target = CounterGrain.Id("case-throw", "target");
        await runtime.SendAsync(grain, new Increment(7));
        await probe.WaitForStateAsync<CounterState>(grain, s => s.Value == 7);

        var ask = runtime.AskAsync<long>(grain, new RecordEverythingThenThrow("target"), TurnProbe.SafetyTimeout);
        var failure = await firstFailure.Task.WaitAsync(TurnProbe.SafetyTimeout);

        // After a failed try, nothing the handler recorded happened and the message is still queued.
        Assert.True(failure.WillRetry);
        Assert.Equal(7, (await runtime.ReadStateAsync<CounterState>(grain))!.Value);
        Assert.Null(await runtime.ReadStateAsync<CounterState>(target));
        Assert.Contains(grain, await runtime.Store.FindGrainsWithMessagesAsync(100, CancellationToken.None));
        Assert.Empty(await runtime.ReadHistoryAsync("case-throw"));
        Assert.False(ask.IsCompleted);

        // Let the retries run out: the message is dead-lettered, still without any of its effects.
        for (var i = 0; i < 3 && !ask.IsCompleted; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(ask, probe.WaitAsync(t => t.Grain == grain && t.DeadLettered == 1, TimeSpan.FromSeconds(2)).ContinueWith(_ => { }));
        }

        await Assert.ThrowsAsync<GrainHandlerException>(() => ask);
        Assert.Equal(3, Failures.Calls("record-everything"));
        Assert.Equal(7, (await runtime.ReadStateAsync<CounterState>(grain))!.Value);
        Assert.Null(await runtime.ReadStateAsync<CounterState>(target));
        Clock.Advance(TimeSpan.FromSeconds(5));
        await runtime.SendAsync(grain, new Increment(1));
        await probe.WaitForStateAsync<CounterState>(grain, s => s.Value == 8);
        Assert.Empty(Outbox.Items);
        var history = await runtime.ReadHistoryAsync("case-throw");
        Assert.Equal("message_dead_lettered", Assert.Single(history).Type);
    }

    [Fact]
    public async Task Send_EightThreadsTenThousandMessagesToOneGrain_LosesNoUpdate()
    {
        var runtime = await StartRuntimeAsync();
        using var probe = new TurnProbe(runtime);
        var grain = CounterGrain.Id("case-load", "hot");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 1250; i++)
            {
                await runtime.SendAsync(grain, new Increment());
            }
        })));

        var state = await probe.WaitForStateAsync<CounterState>(grain, s => s.Value >= 10_000);
        Assert.Equal(10_000, state.Value);
        Assert.Equal(10_000, probe.Seen.Where(t => t.Grain == grain).Sum(t => t.Handled));
        Assert.Equal(10_000, (await runtime.AskAsync<long>(grain, new GetCount(), TurnProbe.SafetyTimeout)).Value);
    }

    [Fact]
    public async Task Send_FromOneSender_HandledInSendOrder()
    {
        var runtime = await StartRuntimeAsync(o => o.MaxMessagesPerTurn = 7);
        using var probe = new TurnProbe(runtime);
        var target = SequenceGrain.Id("case-order", "target");

        // Two grains each send a burst from one turn, while an outside client sends one message at a time.
        await runtime.SendAsync(SenderGrain.Id("case-order", "s1"), new Burst("target", 200));
        await runtime.SendAsync(SenderGrain.Id("case-order", "s2"), new Burst("target", 200));
        for (var i = 0; i < 200; i++)
        {
            await runtime.SendAsync(target, new Seq("client", i));
        }

        var state = await probe.WaitForStateAsync<SequenceState>(target, s => s.Received.Length == 600);
        foreach (var sender in new[] { "case-order/s1", "client", "case-order/s2" })
        {
            var received = state.Received.Where(r => r.StartsWith(sender + ":", StringComparison.Ordinal))
                .Select(r => int.Parse(r[(sender.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture))
                .ToArray();
            Assert.Equal(Enumerable.Range(0, 200), received);
        }
    }

    [Fact]
    public async Task Turns_OfDifferentGrains_RunInParallel()
    {
        var runtime = await StartRuntimeAsync(o => o.MaxDegreeOfParallelism = 2);
        using var probe = new TurnProbe(runtime);
        var first = MeetGrain.Id("case-meet", "a");
        var second = MeetGrain.Id("case-meet", "b");

        await runtime.SendAsync(first, new Meet());
        await runtime.SendAsync(second, new Meet());

        Assert.True((await probe.WaitForStateAsync<MeetState>(first, _ => true)).Met);
        Assert.True((await probe.WaitForStateAsync<MeetState>(second, _ => true)).Met);
    }

    [Fact]
    public async Task Reminder_WhenDue_ArrivesAsAMessageOnTheFakeClock()
    {
        var runtime = await StartRuntimeAsync();
        using var probe = new TurnProbe(runtime);
        var grain = AlarmGrain.Id("case-alarm", "a");

        await runtime.SendAsync(grain, new SetAlarm("wake", 10));
        await probe.WaitAsync(t => t.Grain == grain);
        Clock.Advance(TimeSpan.FromSeconds(9));
        await runtime.SendAsync(grain, new SetAlarm("marker", 0.5));
        await probe.WaitAsync(t => t.Grain == grain && probe.Seen.Where(s => s.Grain == grain).Sum(s => s.Handled) == 2);
        Clock.Advance(TimeSpan.FromSeconds(0.5));
        var early = await probe.WaitForStateAsync<AlarmState>(grain, s => s.Fired.Contains("marker"));
        Assert.DoesNotContain("wake", early.Fired);

        Clock.Advance(TimeSpan.FromSeconds(1));
        var state = await probe.WaitForStateAsync<AlarmState>(grain, s => s.Fired.Contains("wake"));
        Assert.Equal(["marker", "wake"], state.Fired);
    }

    [Fact]
    public async Task Reminder_Cleared_NeverFires()
    {
        var runtime = await StartRuntimeAsync();
        using var probe = new TurnProbe(runtime);
        var grain = AlarmGrain.Id("case-alarm-clear", "a");

        await runtime.SendAsync(grain, new SetAlarm("cleared", 10));
        await runtime.SendAsync(grain, new SetAlarm("kept", 20));
        await runtime.SendAsync(grain, new ClearAlarm("cleared"));
        await probe.WaitAsync(t => t.Grain == grain && probe.Seen.Where(s => s.Grain == grain).Sum(s => s.Handled) == 3);
        Clock.Advance(TimeSpan.FromSeconds(25));

        var state = await probe.WaitForStateAsync<AlarmState>(grain, s => s.Fired.Contains("kept"));
        Assert.Equal(["kept"], state.Fired);
    }

    [Fact]
    public async Task Reminder_SetAgain_MovesTheDueTime()
    {
        var runtime = await StartRuntimeAsync();
        using var probe = new TurnProbe(runtime);
        var grain = AlarmGrain.Id("case-alarm-move", "a");

        await runtime.SendAsync(grain, new SetAlarm("moved", 5));
        await runtime.SendAsync(grain, new SetAlarm("moved", 30));
        await runtime.SendAsync(grain, new SetAlarm("marker", 10));
        await probe.WaitAsync(t => t.Grain == grain && probe.Seen.Where(s => s.Grain == grain).Sum(s => s.Handled) == 3);

        Clock.Advance(TimeSpan.FromSeconds(10));
        var early = await probe.WaitForStateAsync<AlarmState>(grain, s => s.Fired.Contains("marker"));
        Assert.Equal(["marker"], early.Fired);
        Clock.Advance(TimeSpan.FromSeconds(20));
        var state = await probe.WaitForStateAsync<AlarmState>(grain, s => s.Fired.Contains("moved"));
        Assert.Equal(["marker", "moved"], state.Fired);
    }

    [Fact]
    public async Task Handler_FailsEveryTry_IsDeadLetteredAfterMaxAttemptsAndTheGrainGoesOn()
    {
        var runtime = await StartRuntimeAsync(o => o.MaxHandlerAttempts = 4);
        using var probe = new TurnProbe(runtime);
        var grain = CounterGrain.Id("case-dead", "a");
        Failures.FailTimes("poison", int.MaxValue);

        await runtime.SendAsync(grain, new FailWhilePlanned("poison"));
        await runtime.SendAsync(grain, new Increment(3));

        var state = await probe.WaitForStateAsync<CounterState>(grain, s => s.Value == 3);
        Assert.Equal(3, state.Value);
        Assert.Equal(4, Failures.Calls("poison"));
        var letter = Assert.Single(await runtime.ReadDeadLettersAsync());
        Assert.Equal(grain, letter.Grain);
        Assert.Equal(4, letter.Attempts);
        Assert.Contains("planned failure of poison", letter.Error, StringComparison.Ordinal);
        Assert.IsType<FailWhilePlanned>(letter.Body);
    }

    [Fact]
    public async Task Handler_FailsFewerTimesThanMaxAttempts_SucceedsOnRetryWithOneEffect()
    {
        var runtime = await StartRuntimeAsync(o => o.MaxHandlerAttempts = 5);
        var grain = CounterGrain.Id("case-retry", "a");
        Failures.FailTimes("flaky", 2);

        var result = await runtime.AskAsync<long>(grain, new FailWhilePlanned("flaky"), TurnProbe.SafetyTimeout);

        Assert.Equal(1, result.Value);
        Assert.Equal(3, Failures.Calls("flaky"));
        Assert.Empty(await runtime.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task Send_ToUnregisteredGrainType_IsDeadLetteredNamingTheType()
    {
        var runtime = await StartRuntimeAsync();
        using var probe = new TurnProbe(runtime);
        var grain = GrainId.InCase("no-such-type", "case-unknown", "x");

        await runtime.SendAsync(grain, new Increment());

        await probe.WaitAsync(t => t.Grain == grain && t.DeadLettered == 1);
        var letter = Assert.Single(await runtime.ReadDeadLettersAsync());
        Assert.Contains("no-such-type", letter.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turn_SendsToAnotherGrain_MessageArrivesAfterTheCommit()
    {
        var runtime = await StartRuntimeAsync();
        using var probe = new TurnProbe(runtime);
        var source = CounterGrain.Id("case-hop", "a");
        var target = CounterGrain.Id("case-hop", "b");

        await runtime.SendAsync(source, new Forward("b", 9));

        Assert.Equal(9, (await probe.WaitForStateAsync<CounterState>(target, s => s.Value == 9)).Value);
        Assert.Equal(1, (await runtime.ReadStateAsync<CounterState>(source))!.Value);
    }

    [Fact]
    public async Task History_AppendedByTurns_IsReadBackInOrderWithSequences()
    {
        var runtime = await StartRuntimeAsync();
        using var probe = new TurnProbe(runtime);
        var grain = CounterGrain.Id("case-history", "a");

        for (var i = 0; i < 5; i++)
        {
            await runtime.SendAsync(grain, new Note($"n{i}"));
        }

        await probe.WaitAsync(t => probe.Seen.Where(s => s.Grain == grain).Sum(s => s.Handled) == 5);
        var history = await runtime.ReadHistoryAsync("case-history");
        Assert.Equal(["n0", "n1", "n2", "n3", "n4"], history.Select(h => h.Reason));
        Assert.Equal([1L, 2, 3, 4, 5], history.Select(h => h.Sequence));
        Assert.All(history, h => Assert.Equal(Clock.GetUtcNow(), h.At));
        Assert.Equal(["n3", "n4"], (await runtime.ReadHistoryAsync("case-history", afterSequence: 3)).Select(h => h.Reason));
    }

    [Fact]
    public async Task Outbox_ItemPublishedByATurn_IsHandedToItsHandlerAfterTheCommit()
    {
        var runtime = await StartRuntimeAsync();
        var grain = CounterGrain.Id("case-outbox", "a");

        await runtime.SendAsync(grain, new Announce("test", "hello"));

        var item = await Outbox.NextAsync();
        Assert.Equal("hello", item.Payload);
        Assert.Equal(grain, item.Source);
        Assert.True(item.Id > 0);
    }

    [Fact]
    public async Task Activation_IdleLongerThanTimeout_IsDroppedAndReloadedWithItsState()
    {
        var runtime = await StartRuntimeAsync(o =>
        {
            o.ActivationIdleTimeout = TimeSpan.FromMinutes(5);
            o.IdleSweepInterval = TimeSpan.FromMinutes(1);
        });
        using var probe = new TurnProbe(runtime);
        var grain = CounterGrain.Id("case-idle", "a");
        await runtime.SendAsync(grain, new Increment(2));
        await probe.WaitForStateAsync<CounterState>(grain, s => s.Value == 2);
        Assert.Equal(1, runtime.ActivationCount);

        Clock.Advance(TimeSpan.FromMinutes(7));

        Assert.Equal(0, runtime.ActivationCount);
        await runtime.SendAsync(grain, new Increment(3));
        Assert.Equal(5, (await probe.WaitForStateAsync<CounterState>(grain, s => s.Value >= 5)).Value);
        Assert.Equal(1, runtime.ActivationCount);
    }

    [Fact]
    public async Task Commit_FromStaleEpoch_IsRejectedAndWritesNothing()
    {
        var store = await CreateStoreAsync(Clock);
        _stores.Add(store);
        var listener = new NullListener();
        await store.StartAsync(listener, CancellationToken.None);
        var grain = CounterGrain.Id("case-epoch", "a");
        await store.EnqueueAsync([new Envelope(grain, new Increment())], CancellationToken.None);

        var old = (await store.ActivateAsync(grain, CancellationToken.None))!;
        await store.DeactivateAsync(grain, old.Epoch, CancellationToken.None);
        var current = (await store.ActivateAsync(grain, CancellationToken.None))!;
        Assert.True(current.Epoch > old.Epoch);

        var batch = new List<Envelope>();
        await store.ReadMailboxAsync(grain, current.Epoch, batch, 10, CancellationToken.None);
        var stale = new TurnCommit(grain) { Epoch = old.Epoch, ExpectedVersion = 0, State = new CounterState(99), StateChanged = true };
        stale.Handled.Add(batch[0].Id);
        await Assert.ThrowsAsync<StaleEpochException>(async () => await store.CommitAsync(stale, CancellationToken.None));
        Assert.Null(await store.ReadStateAsync(grain, CancellationToken.None));

        var fresh = new TurnCommit(grain) { Epoch = current.Epoch, ExpectedVersion = 0, State = new CounterState(1), StateChanged = true };
        fresh.Handled.Add(batch[0].Id);
        Assert.Equal(1, await store.CommitAsync(fresh, CancellationToken.None));
        Assert.Equal(1, ((CounterState)(await store.ReadStateAsync(grain, CancellationToken.None))!.State!).Value);
        Assert.DoesNotContain(grain, await store.FindGrainsWithMessagesAsync(10, CancellationToken.None));

        var behind = new TurnCommit(grain) { Epoch = current.Epoch, ExpectedVersion = 0, State = new CounterState(5), StateChanged = true };
        await Assert.ThrowsAsync<StaleEpochException>(async () => await store.CommitAsync(behind, CancellationToken.None));
        await store.StopAsync(CancellationToken.None);
    }

    private sealed class NullListener : IStoreListener
    {
        public void OnMessagesAvailable(GrainId grain)
        {
        }

        public void OnReply(GrainReply reply)
        {
        }

        public void OnOutbox(IReadOnlyList<OutboxItem> items)
        {
        }

        public void OnReminderScheduled(DateTimeOffset dueAt)
        {
        }
    }
}
