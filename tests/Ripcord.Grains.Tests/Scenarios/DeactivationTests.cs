using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Ripcord.Contracts;
using Ripcord.Contracts.Agents;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>
/// Orleans ends live activations: on a surviving silo, every one whose directory registration a dead silo held; on a
/// silo that stops, all of them. What such an activation still had to do goes on at once in the next one, not at the
/// recovery reminder's tick, and the in-memory grains (ready-task partitions, agents' signal fan-outs) hand their
/// queue, signals and subscribers over; the grains a dead silo held with work pending are woken by a survivor. Here
/// the recovery period and the outbox's retry delay are an hour, so nothing but the wake-up can bring the work back
/// within the test.
/// </summary>
public sealed class DeactivationTests : IAsyncLifetime
{
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync(durability: o =>
    {
        o.RecoveryPeriod = TimeSpan.FromHours(1);
        o.FirstRetryDelay = TimeSpan.FromHours(1);
        o.MaxRetryDelay = TimeSpan.FromHours(1);
    });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task An_activation_ended_with_an_undelivered_entry_has_the_next_one_deliver_it_at_once()
    {
        // The ready notice of the first activation of task "work" fails, as if the gateway were unreachable.
        var contexts = _h.AnySilo().GetRequiredService<IGrainContextAccessor>();
        ActivationId? first = null;
        _h.ReadyNotices.Refuse = item =>
        {
            if (item is not TaskReadyNotice { CaseId: "w1", TaskId: "work" })
            {
                return false;
            }

            var activation = contexts.GrainContext.ActivationId;
            first ??= activation;
            return activation == first;
        };
        Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync("w1", Processes.Pipeline())).Status);
        await _h.WaitForAsync(() => _h.ReadyNotices.Refused > 0, "the ready notice to fail");
        Assert.DoesNotContain(_h.ReadyNotices.Items, i => i is TaskReadyNotice { CaseId: "w1" });

        await _h.TaskGrain("w1", "work").AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        await _h.WaitForAsync(() => _h.ReadyNotices.Items.Any(i => i is TaskReadyNotice { CaseId: "w1", TaskId: "work" }), "the next activation to deliver the ready notice");
        Assert.Equal(1, _h.HandoversApplied(nameof(IDurableGrain.Wake), GrainKeys.Task("w1", "work")));
    }

    [Fact]
    public async Task An_activation_ended_with_a_deadline_due_before_the_reminder_has_the_next_one_fire_it()
    {
        Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync("w2", Processes.Pipeline(), cancel: new CancelOverrides { HoldSeconds = 30 })).Status);
        Assert.Equal(CaseStatus.CancelPending, (await _h.CancelCaseAsync("w2", mode: CancelMode.Force)).CaseStatus);

        await _h.CaseGrain("w2").AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        // The next activation has armed the hold's end when the wake-up enters it; only then does the hold run out.
        await _h.WaitForAsync(() => _h.HandoversApplied(nameof(IDurableGrain.Wake), GrainKeys.Case("w2")) == 1, "the case grain's next activation to be woken");
        _h.Clock.AdvanceSeconds(30);
        await _h.WaitForCaseAsync("w2", CaseStatus.Cancelled);
        Assert.Contains(await _h.HistoryAsync("w2"), e => e.Type == "case_cancelled");
    }

    [Fact]
    public async Task A_grain_of_a_dead_silo_with_a_deadline_due_is_woken_on_a_survivor_once_the_death_is_declared()
    {
        // A case held for confirmation whose grain lives on the silo about to die.
        var victim = _h.Cluster.GetActiveSilos().Skip(1).First();
        var management = _h.Grains.GetGrain<IManagementGrain>(0);
        string? held = null;
        for (var i = 0; held is null; i++)
        {
            Assert.True(i < 40, "no case grain was placed on the second silo");
            var caseId = $"dead-{i}";
            Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync(caseId, Processes.Pipeline(), cancel: new CancelOverrides { HoldSeconds = 30 })).Status);
            Assert.Equal(CaseStatus.CancelPending, (await _h.CancelCaseAsync(caseId, mode: CancelMode.Force)).CaseStatus);
            held = await management.GetActivationAddress(_h.CaseGrain(caseId)) == victim.SiloAddress ? caseId : null;
        }

        await _h.Cluster.KillSiloAsync(victim);

        // Its reminder would tick an hour from now: the survivor's wake-up brings it back, with the hold's end armed.
        await _h.WaitForAsync(() => _h.HandoversApplied(nameof(IDurableGrain.Wake), GrainKeys.Case(held)) >= 1, "the dead silo's case grain to be woken on the survivor");
        _h.Clock.AdvanceSeconds(30);
        await _h.WaitForCaseAsync(held, CaseStatus.Cancelled);
    }

    [Fact]
    public async Task A_ready_partition_ended_by_Orleans_hands_its_queue_and_subscribers_to_the_next_activation()
    {
        var partition = _h.References.ReadyTasks("handover-agent", 1);
        var observer = new ReadyObserver();
        await partition.Subscribe(_h.Cluster.Client.CreateObjectReference<IReadyTasksObserver>(observer));
        var older = new TaskReadyNotice("h1", "a", "handover-agent", 1);
        await partition.Offer(older);
        Assert.Equal(("handover-agent", 1), await observer.Told.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        await partition.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await _h.WaitForAsync(() => _h.HandoversApplied(nameof(IReadyTasksGrain.Restore), GrainKeys.Ready("handover-agent", 1)) == 1, "the partition's next activation to get the handover");

        // The subscriber is told of the handed-over queue and of what arrives next; the oldest is taken first.
        Assert.Equal(("handover-agent", 1), await observer.Told.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        var newer = new TaskReadyNotice("h2", "a", "handover-agent", 1);
        await partition.Offer(newer);
        Assert.Equal(("handover-agent", 1), await observer.Told.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(older, await partition.Take());
        Assert.Equal(newer, await partition.Take());
        Assert.Null(await partition.Take());
    }

    [Fact]
    public async Task An_agents_signal_grain_ended_by_Orleans_hands_its_signals_and_streams_to_the_next_activation()
    {
        var agent = _h.References.AgentSignals("handover-agent");
        var stream = new SignalObserver();
        Assert.Empty(await agent.Connect(_h.Cluster.Client.CreateObjectReference<IAgentSignalObserver>(stream)));
        var first = new CancelSignalNotice("s1", "t", "handover-agent", CancelMode.Standard, "withdrawn", _h.Clock.GetUtcNow().AddSeconds(30), 0);
        Assert.Equal(1, await agent.Push(first));

        await agent.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await _h.WaitForAsync(() => _h.HandoversApplied(nameof(IAgentSignalGrain.Restore), GrainKeys.Agent("handover-agent")) == 1, "the signal grain's next activation to get the handover");

        // The stream still subscribed gets the next push; a stream connecting now still gets the first signal too.
        var second = first with { CaseId = "s2" };
        Assert.Equal(1, await agent.Push(second));
        Assert.Equal([first, second], await stream.Received.Reader.ReadAllAsync().Take(2).ToArrayAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        var late = _h.Cluster.Client.CreateObjectReference<IAgentSignalObserver>(new SignalObserver());
        Assert.Equal([first, second], (await agent.Connect(late)).OrderBy(s => s.CaseId, StringComparer.Ordinal));
    }

    private sealed class ReadyObserver : IReadyTasksObserver
    {
        public Channel<(string AgentType, int Partition)> Told { get; } = Channel.CreateUnbounded<(string, int)>();

        public Task Ready(string agentType, int partition) => Told.Writer.WriteAsync((agentType, partition)).AsTask();
    }

    private sealed class SignalObserver : IAgentSignalObserver
    {
        public Channel<CancelSignalNotice> Received { get; } = Channel.CreateUnbounded<CancelSignalNotice>();

        public Task Signal(CancelSignalNotice signal) => Received.Writer.WriteAsync(signal).AsTask();
    }
}
