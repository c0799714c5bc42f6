using Ripcord.Contracts.Tasks;

namespace Ripcord.Grains.Tasks;

public static partial class TaskMachine
{
    /// <summary>
    /// The case was redacted: the task keeps its status, times, attempts, usage and error, and loses its input,
    /// output, checkpoints and progress. The case sends this only once every task has ended.
    /// </summary>
    private static TaskState Redact(TaskState state, RedactTask m)
    {
        if (!state.Exists || state.RedactedAt is not null)
        {
            return state;
        }

        return state with
        {
            Input = null,
            Output = null,
            Checkpoint = null,
            Progress = null,
            Cancel = state.Cancel is { } cancel ? cancel with { Checkpoint = null } : null,
            RedactedAt = m.RedactedAt,
        };
    }
}
