using Ripcord.Contracts;
using Ripcord.Grains.Tasks;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

/// <summary>
/// A pushed signal's delivery is stamped with the time the silo flushed it, not with the time the task grain applies
/// the notice (which may wait for the grain's next write), and never outside the signal's send and now.
/// </summary>
public sealed class SignalDeliveryTests
{
    [Fact]
    public void Applied_later_the_delivery_keeps_the_time_it_was_pushed()
    {
        var pushed = Push(Cancelling(signalledAt: 10), T0.AddSeconds(10.2), appliedAt: 11);

        Assert.Equal(T0.AddSeconds(10.2), pushed.State.Cancel!.DeliveredAt);
        Assert.Equal(T0.AddSeconds(10.2), Assert.Single(pushed.Of<HistoryEffect>(), h => h.Event.Type == "cancel_signal_delivered").Event.At);
    }

    [Fact]
    public void A_push_time_after_now_is_now()
    {
        // Another silo's clock runs ahead.
        var pushed = Push(Cancelling(signalledAt: 10), T0.AddSeconds(12), appliedAt: 11);

        Assert.Equal(T0.AddSeconds(11), pushed.State.Cancel!.DeliveredAt);
    }

    [Fact]
    public void A_push_time_before_the_signal_was_sent_is_the_signal_time()
    {
        var pushed = Push(Cancelling(signalledAt: 10), T0.AddSeconds(9), appliedAt: 11);

        Assert.Equal(T0.AddSeconds(10), pushed.State.Cancel!.DeliveredAt);
        Assert.Equal(T0.AddSeconds(10), Assert.Single(pushed.Of<HistoryEffect>()).Event.At);
    }

    [Fact]
    public void Without_a_push_time_the_delivery_is_when_it_is_applied()
    {
        // A notice from a silo of an earlier release.
        var pushed = Push(Cancelling(signalledAt: 10), pushedAt: null, appliedAt: 11);

        Assert.Equal(T0.AddSeconds(11), pushed.State.Cancel!.DeliveredAt);
    }

    private static TaskState Cancelling(double signalledAt)
    {
        var running = Running();
        var cancelling = TaskMachine.Handle(running, new CancelTask { RequestedBy = "alice", Reason = "r" }, T0.AddSeconds(signalledAt), Tokens()).State;
        Assert.Equal(T0.AddSeconds(signalledAt), cancelling.Cancel!.SignalledAt);
        return cancelling;
    }

    private static Decision<TaskState> Push(TaskState state, DateTimeOffset? pushedAt, double appliedAt) =>
        TaskMachine.Handle(state, new CancelSignalPushed("a-1", pushedAt), T0.AddSeconds(appliedAt), Tokens());
}
