using Ripcord.Contracts;
using Ripcord.Grains.Resources;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

public sealed class RegistryMachineTests
{
    private static readonly ResourceReleaseAction Webhook = new() { Url = "http://cloud.test/vm-1" };

    private static Decision<RegistryState> Run(RegistryState state, object message, double atSeconds = 0) => RegistryMachine.Handle(state, message, T0.AddSeconds(atSeconds));

    private static RegistryState WithVm(ResourceReleaseAction? release = null) =>
        Run(RegistryState.Empty("c"), new AddResource { TaskId = "t", ResourceId = "vm-1", Kind = "vm", Release = release ?? Webhook }).State;

    [Fact]
    public void ReleaseTaskResources_HeldWebhookResource_ReleasingWithCallAndAttemptTimeout()
    {
        var d = Run(WithVm(), new ReleaseTaskResources { TaskId = "t" });

        var entry = d.State.Resources["vm-1"];
        Assert.Equal(ResourceStatus.Releasing, entry.Status);
        var call = Assert.IsType<ResourceReleaseRequest>(Assert.Single(d.Of<PublishEffect>()).Payload);
        Assert.Equal(("DELETE", "http://cloud.test/vm-1", 1), (call.Method, call.Url, call.Attempt));
        Assert.Equal(T0.AddSeconds(30), Assert.Single(d.Of<SetReminderEffect>()).DueAt);
        Assert.Empty(d.Of<SendEffect>());
    }

    [Fact]
    public void AttemptFailed_RetriedWithDoublingBackoffThenOrphaned()
    {
        var state = Run(WithVm(), new ReleaseTaskResources { TaskId = "t" }).State;
        var expectedDelays = new[] { 1, 2, 4, 8 };
        var at = 0.0;
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var failed = Run(state, new ReleaseAttemptCompleted { ResourceId = "vm-1", Attempt = attempt, StatusCode = 503 }, at);
            var retry = Assert.Single(failed.Of<SetReminderEffect>());
            Assert.Equal(T0.AddSeconds(at + expectedDelays[attempt - 1]), retry.DueAt);
            at += expectedDelays[attempt - 1];
            state = Run(failed.State, retry.Message, at).State;
            Assert.Equal(attempt + 1, state.Resources["vm-1"].Attempts);
        }

        var last = Run(state, new ReleaseAttemptCompleted { ResourceId = "vm-1", Attempt = 5, StatusCode = 503 }, at);

        Assert.Equal(ResourceStatus.Orphaned, last.State.Resources["vm-1"].Status);
        Assert.Contains("503", last.State.Resources["vm-1"].LastError, StringComparison.Ordinal);
        Assert.Contains(last.Of<HistoryEffect>(), h => h.Event.Type == "resource_release_alert");
    }

    [Fact]
    public void AttemptTimedOut_CountsAsFailure_AndALateAnswerForItIsIgnored()
    {
        var state = Run(WithVm(), new ReleaseTaskResources { TaskId = "t" }).State;
        state = Run(state, new ReleaseAttemptTimedOut("vm-1", 1), 30).State;
        state = Run(state, new ReleaseRetryDue("vm-1", 2), 31).State;

        var late = Run(state, new ReleaseAttemptCompleted { ResourceId = "vm-1", Attempt = 1, Success = true, StatusCode = 200 }, 32);

        Assert.Same(state, late.State);
        Assert.Equal(ResourceStatus.Releasing, late.State.Resources["vm-1"].Status);
    }

    [Fact]
    public void Close_ResourceWithoutReleaseAction_OrphanedAndSettledReported()
    {
        var state = WithVm(new ResourceReleaseAction { Type = ResourceReleaseAction.NoneType });

        var d = Run(state, new CloseRegistry { Reason = "case cancelled" });

        Assert.Equal(ResourceStatus.Orphaned, d.State.Resources["vm-1"].Status);
        var settled = Assert.IsType<ResourcesSettled>(Assert.Single(d.Of<SendEffect>()).Message);
        Assert.Equal((0, 1, 1), (settled.Released, settled.Orphaned, settled.Total));
    }

    [Fact]
    public void LateRegistration_NeverClosed_ReleasedAtOnceAndReportedWithoutClose()
    {
        // The case may have settled without waking this registry: a fenced agent's resource is reported all the same.
        var late = Run(RegistryState.Empty("c"), new AddResource { TaskId = "t", ResourceId = "vm-1", Kind = "vm", Release = Webhook, ReleaseNow = true });
        Assert.Equal(ResourceStatus.Releasing, late.State.Resources["vm-1"].Status);
        Assert.Empty(late.Of<SendEffect>());

        var d = Run(late.State, new ReleaseAttemptCompleted { ResourceId = "vm-1", Attempt = 1, Success = true, StatusCode = 204 }, 1);

        var settled = Assert.IsType<ResourcesSettled>(Assert.Single(d.Of<SendEffect>()).Message);
        Assert.Equal((1, 0, 1, true), (settled.Released, settled.Orphaned, settled.Total, settled.WithoutClose));
    }

    [Fact]
    public void HeldRegistration_NeverClosed_NotReported()
    {
        var d = Run(RegistryState.Empty("c"), new AddResource { TaskId = "t", ResourceId = "vm-1", Kind = "vm", Release = new ResourceReleaseAction { Type = ResourceReleaseAction.NoneType } });

        Assert.Equal(ResourceStatus.Held, d.State.Resources["vm-1"].Status);
        Assert.Empty(d.Of<SendEffect>());
        Assert.False(d.State.ReportsWithoutClose);
    }

    [Fact]
    public void Close_Empty_SettledAtOnce()
    {
        var d = Run(RegistryState.Empty("c"), new CloseRegistry());

        Assert.Equal(GrainKeys.Case("c"), Assert.Single(d.Of<SendEffect>()).Target);
        Assert.True(d.State.SettledReported);
    }

    [Fact]
    public void Close_WhileReleasing_SettledOnlyAfterTheLastAnswer()
    {
        var state = Run(WithVm(), new CloseRegistry()).State;
        Assert.False(state.SettledReported);

        var d = Run(state, new ReleaseAttemptCompleted { ResourceId = "vm-1", Attempt = 1, Success = true, StatusCode = 204 }, 1);

        Assert.Equal(ResourceStatus.Released, d.State.Resources["vm-1"].Status);
        Assert.Equal(1, Assert.IsType<ResourcesSettled>(Assert.Single(d.Of<SendEffect>()).Message).Released);
    }

    [Fact]
    public void Add_AfterItsTaskWasReleased_ReleasedAtOnce()
    {
        var state = Run(RegistryState.Empty("c"), new ReleaseTaskResources { TaskId = "t" }).State;

        var d = Run(state, new AddResource { TaskId = "t", ResourceId = "vm-2", Release = Webhook });

        Assert.Equal(ResourceStatus.Releasing, d.State.Resources["vm-2"].Status);
    }

    [Fact]
    public void Add_SameIdFromAnotherTask_ConflictRecordedAndFirstKept()
    {
        var state = WithVm();

        var d = Run(state, new AddResource { TaskId = "other", ResourceId = "vm-1", Release = Webhook });

        Assert.Equal("t", d.State.Resources["vm-1"].TaskId);
        Assert.Equal("resource_conflict", Assert.Single(d.Of<HistoryEffect>()).Event.Type);
    }

    [Fact]
    public void Freed_UnknownResource_IgnoredAndRecorded()
    {
        var d = Run(RegistryState.Empty("c"), new ResourceFreed { TaskId = "t", ResourceId = "nope" });

        Assert.Empty(d.State.Resources);
        Assert.Equal("resource_free_ignored", Assert.Single(d.Of<HistoryEffect>()).Event.Type);
    }
}
