using Ripcord.Contracts;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Storage;
using Ripcord.Grains.Tasks;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>
/// The silo's notice that a cancel signal reached the agent waits for the task grain's next write (the agent's
/// acknowledgement, usually) instead of a write of its own, and is written alone when no turn comes within the delay.
/// </summary>
public sealed class SignalDeliveryNoticeTests
{
    private static readonly ProcessDefinition Single = new() { Name = "notice", Nodes = [new NodeDefinition { Id = "work", Agent = "worker" }] };

    [Fact]
    public async Task A_delivery_followed_by_the_acknowledgement_is_written_with_it()
    {
        // An hour's delay: nothing but the acknowledgement's turn can write the notice.
        await using var h = await DomainHarness.StartAsync(durability: o => o.CompactionDelay = TimeSpan.FromHours(1));
        var token = await CancellingAsync(h, "together");
        var before = Version(h, "together");
        var pushedAt = h.Clock.GetUtcNow();
        h.Clock.AdvanceSeconds(0.25);

        await h.TaskGrain("together", "work").SignalDelivered(new CancelSignalPushed("worker-1", pushedAt));
        Assert.Null(h.Task("together", "work")!.Cancel!.DeliveredAt);
        Assert.Equal(CommandStatus.Ok, (await h.AckAsync("together", "work", token)).Status);

        var task = h.Task("together", "work")!;
        Assert.Equal(CaseTaskStatus.Cancelled, task.Status);
        Assert.Equal(pushedAt, task.Cancel!.DeliveredAt);
        Assert.Equal(before + 1, Version(h, "together"));
        var history = await h.HistoryAsync("together");
        var delivered = history.ToList().FindIndex(e => e.Type == "cancel_signal_delivered" && e.TaskId == "work");
        var acked = history.ToList().FindIndex(e => e.Type == "cancel_acknowledged" && e.TaskId == "work");
        Assert.True(delivered >= 0 && delivered < acked, $"delivered at {delivered}, acknowledged at {acked}");
        Assert.Equal(pushedAt, history[delivered].At);
    }

    [Fact]
    public async Task A_delivery_with_no_turn_after_it_is_written_alone_after_the_delay()
    {
        await using var h = await DomainHarness.StartAsync(durability: o => o.CompactionDelay = TimeSpan.FromMilliseconds(50));
        await CancellingAsync(h, "alone");
        var pushedAt = h.Clock.GetUtcNow();

        await h.TaskGrain("alone", "work").SignalDelivered(new CancelSignalPushed("worker-1", pushedAt));

        await h.WaitForAsync(() => h.Task("alone", "work")!.Cancel!.DeliveredAt is not null, "the delivery to be written");
        Assert.Equal(pushedAt, h.Task("alone", "work")!.Cancel!.DeliveredAt);
        Assert.Equal(CaseTaskStatus.Cancelling, h.Task("alone", "work")!.Status);
    }

    private static async Task<string> CancellingAsync(DomainHarness h, string caseId)
    {
        Assert.Equal(CommandStatus.Created, (await h.StartCaseAsync(caseId, Single)).Status);
        var claim = await h.ClaimAsync(caseId, "work", "worker-1");
        Assert.Equal(CommandStatus.Accepted, (await h.CancelCaseAsync(caseId, reason: "withdrawn")).Status);
        await h.WaitForTaskAsync(caseId, "work", CaseTaskStatus.Cancelling);
        return claim.LeaseToken!;
    }

    private static long Version(DomainHarness h, string caseId) =>
        h.Record<TaskState>(RipcordStorage.TaskState, GrainKeys.Task(caseId, "work"))!.Version;
}
