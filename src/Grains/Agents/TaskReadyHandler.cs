using Ripcord.Contracts.Agents;

namespace Ripcord.Grains.Agents;

/// <summary>Offers a ready task to its agent type's partition (topic <see cref="OutboxTopics.TaskReady"/>).</summary>
public sealed class TaskReadyHandler(GrainReferences grains) : IOutboxHandler
{
    public string Topic => OutboxTopics.TaskReady;

    public async Task<object?> HandleAsync(object payload, CancellationToken cancellationToken)
    {
        var notice = (TaskReadyNotice)payload;
        var partition = ReadyTasksGrain.PartitionOf(notice.CaseId, notice.TaskId);
        await grains.ReadyTasks(notice.Agent, partition).Offer(notice);
        return null;
    }
}
