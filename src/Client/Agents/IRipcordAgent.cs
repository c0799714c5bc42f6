using System.Text.Json;

namespace Ripcord.Client.Agents;

/// <summary>
/// An agent: the work one task of a process runs. Register it with
/// <c>services.AddRipcordAgent&lt;TAgent&gt;("agent-type")</c>; the SDK polls for tasks, heartbeats, listens for cancel
/// signals and reports the outcome.
/// </summary>
public interface IRipcordAgent
{
    /// <summary>
    /// Runs one task. Return the output to complete it; throw to fail it. When <paramref name="cancellationToken"/>
    /// fires (a cancel signal came by push or heartbeat, the lease was lost, or the host is stopping), stop promptly,
    /// saving a checkpoint first if the work can resume: returning or throwing <see cref="OperationCanceledException"/>
    /// then acknowledges the cancel with the last checkpoint and snapshot.
    /// </summary>
    /// <param name="context">The task's input and checkpoint, and the calls to report progress, usage and resources.</param>
    /// <param name="cancellationToken">Fires when the task must stop.</param>
    /// <returns>The task's output, or <see langword="null"/> for none.</returns>
    Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken);
}
