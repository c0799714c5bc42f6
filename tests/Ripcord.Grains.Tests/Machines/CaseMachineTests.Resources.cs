using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

/// <summary>How a case that is ending settles its resources: through its registry, or without it when no task handed one over.</summary>
public sealed partial class CaseMachineTests
{
    [Fact]
    public void TaskEnded_LastActiveTaskOfCancellingCase_ClosesRegistryThenSettlesToCancelled()
    {
        var state = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice" }).State;
        Assert.Equal(CaseStatus.Cancelling, state.Status);

        var ended = Run(state, Ended("generate", CaseTaskStatus.Cancelled, resources: 1), 3);
        Assert.Contains(ended.Of<SendEffect>(), s => s.Message is CloseRegistry { ExpectedResources.Count: 1 });
        Assert.Equal(CaseStatus.Cancelling, ended.State.Status);

        var settled = Run(ended.State, new ResourcesSettled { Released = 1 }, 4);
        Assert.Equal(CaseStatus.Cancelled, settled.State.Status);
        Assert.Equal(4, settled.State.Measures.TimeToFullTerminationSeconds);
        Assert.Equal(CaseTaskStatus.Cancelled, settled.State.Nodes["summary"].Status);
        Assert.False(settled.State.SettledWithoutRegistry);
    }

    [Fact]
    public void TaskEnded_LastActiveTaskOfCancellingCase_NoResourceHandedOver_SettlesWithoutTheRegistry()
    {
        var state = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice" }).State;

        var ended = Run(state, Ended("generate", CaseTaskStatus.Cancelled), 3);

        Assert.DoesNotContain(ended.Of<SendEffect>(), s => s.Message is CloseRegistry);
        Assert.Equal(CaseStatus.Cancelled, ended.State.Status);
        Assert.True(ended.State.SettledWithoutRegistry);
        Assert.Equal(T0.AddSeconds(3), ended.State.ResourcesSettledAt);
        Assert.Equal(3, ended.State.Measures.TimeToFullTerminationSeconds);
        Assert.Contains(ended.Of<HistoryEffect>(), h => h.Event.Type == "resources_settled");
    }

    [Fact]
    public void TaskEnded_CaseStoredBeforeTasksCountedResources_StillClosesTheRegistry()
    {
        var state = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice" }).State with { CountsResources = false };

        var ended = Run(state, Ended("generate", CaseTaskStatus.Cancelled), 3);

        Assert.Contains(ended.Of<SendEffect>(), s => s.Message is CloseRegistry);
        Assert.Equal(CaseStatus.Cancelling, ended.State.Status);
    }

    [Fact]
    public void ResourcesSettled_WithoutClose_CountsTheLateResource_SettlesOnlyACaseThatSkippedItsRegistry()
    {
        var cancelling = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice" }).State;
        var late = new ResourcesSettled { Released = 1, Total = 1, WithoutClose = true };

        // Still running tasks: the late resource counts, yet the case is not settled by it.
        var early = Run(cancelling, late, 2);
        Assert.Equal(CaseStatus.Cancelling, early.State.Status);
        Assert.Null(early.State.ResourcesSettledAt);
        Assert.Equal(1, early.State.Measures.ResourcesReleased);

        // Then the case settles without its registry, keeping that count; a later report updates it.
        var ended = Run(early.State, Ended("generate", CaseTaskStatus.Cancelled), 3);
        Assert.Equal(CaseStatus.Cancelled, ended.State.Status);
        Assert.Equal(1, ended.State.Measures.ResourcesReleased);
        var again = Run(ended.State, late with { Released = 1, Orphaned = 1, Total = 2 }, 4);
        Assert.Equal(1, again.State.Measures.ResourcesOrphaned);
        Assert.Equal(T0.AddSeconds(4), again.State.ResourcesSettledAt);
    }
}
