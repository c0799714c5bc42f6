namespace Ripcord.Contracts.Tasks;

/// <summary>One task of a case (key: <c>GrainKeys.Task(caseId, taskId)</c>): the agent protocol's commands.</summary>
[Alias("ripcord.task-grain")]
public interface ITaskGrain : IDurableGrain
{
    [Alias("claim")]
    Task<ClaimResult> Claim(ClaimTask command);

    [Alias("heartbeat")]
    Task<HeartbeatResult> Heartbeat(Heartbeat command);

    [Alias("complete")]
    Task<TaskCommandResult> Complete(CompleteTask command);

    [Alias("ack-cancel")]
    Task<TaskCommandResult> AckCancel(AckCancel command);

    [Alias("fail")]
    Task<TaskCommandResult> Fail(FailTask command);

    [Alias("register-resource")]
    Task<TaskCommandResult> RegisterResource(RegisterResource command);

    [Alias("free-resource")]
    Task<TaskCommandResult> FreeResource(FreeResource command);

    /// <summary>The cancel signal was written to the agent's signal stream (recorded as delivered).</summary>
    [Alias("signal-delivered")]
    Task SignalDelivered(CancelSignalPushed notice);

    /// <summary>The task as the API shows it; null when it never started.</summary>
    [Alias("get-view")]
    [ReadOnly]
    Task<TaskView?> GetView();
}
