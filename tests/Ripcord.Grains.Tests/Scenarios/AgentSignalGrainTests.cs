using System.Threading.Channels;
using Ripcord.Contracts;
using Ripcord.Contracts.Agents;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>An agent's signal grain keeps each cancel until its acknowledgement deadline for streams that connect late.</summary>
public sealed class AgentSignalGrainTests : IAsyncLifetime
{
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync(silos: 1);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Connect_AfterASignalWasPushedToNoStream_ReturnsItUntilItsDeadline()
    {
        var agent = _h.References.AgentSignals("late-agent");
        var signal = Signal("c-late", "t1", "late-agent", seconds: 10);
        Assert.Equal(0, await agent.Push(signal));

        var (observer, reference) = Observe();
        var waiting = await agent.Connect(reference);

        Assert.Equal([signal], waiting);
        Assert.Equal(1, await agent.Push(Signal("c-late", "t2", "late-agent", seconds: 10)));
        Assert.Equal("t2", (await observer.Received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).TaskId);

        _h.Clock.AdvanceSeconds(11);
        var (_, second) = Observe();
        Assert.Empty(await agent.Connect(second));
    }

    [Fact]
    public async Task Connect_TaskSignalledTwice_ReturnsTheLatestOnlyAndNeverAPastDeadline()
    {
        var agent = _h.References.AgentSignals("twice-agent");
        await agent.Push(Signal("c-twice", "t", "twice-agent", seconds: 5));
        var escalated = Signal("c-twice", "t", "twice-agent", seconds: 20) with { EscalationLevel = 1 };
        await agent.Push(escalated);
        await agent.Push(Signal("c-twice", "gone", "twice-agent", seconds: -1));

        var (_, reference) = Observe();

        Assert.Equal([escalated], await agent.Connect(reference));
    }

    [Fact]
    public async Task Connect_AfterTheFirstSignalsDeadline_StillReturnsTheLaterSignalThatReplacedIt()
    {
        var agent = _h.References.AgentSignals("replaced-agent");
        await agent.Push(Signal("c-replaced", "t", "replaced-agent", seconds: 5));
        var escalated = Signal("c-replaced", "t", "replaced-agent", seconds: 20) with { EscalationLevel = 1 };
        await agent.Push(escalated);
        var shorter = Signal("c-replaced", "u", "replaced-agent", seconds: 30);
        await agent.Push(shorter);
        var replacedSooner = shorter with { Deadline = _h.Clock.GetUtcNow().AddSeconds(3), EscalationLevel = 1 };
        await agent.Push(replacedSooner);

        _h.Clock.AdvanceSeconds(6);
        var (_, reference) = Observe();

        // t's first deadline passed, its replacement's did not; u's replacement expired sooner than the signal it replaced.
        Assert.Equal([escalated], await agent.Connect(reference));
    }

    private CancelSignalNotice Signal(string caseId, string taskId, string agentId, double seconds) =>
        new(caseId, taskId, agentId, CancelMode.Standard, "withdrawn", _h.Clock.GetUtcNow().AddSeconds(seconds), 0);

    private (Observer Observer, IAgentSignalObserver Reference) Observe()
    {
        var observer = new Observer();
        return (observer, _h.Cluster.Client.CreateObjectReference<IAgentSignalObserver>(observer));
    }

    private sealed class Observer : IAgentSignalObserver
    {
        public Channel<CancelSignalNotice> Received { get; } = Channel.CreateUnbounded<CancelSignalNotice>();

        public Task Signal(CancelSignalNotice signal)
        {
            Received.Writer.TryWrite(signal);
            return Task.CompletedTask;
        }
    }
}
