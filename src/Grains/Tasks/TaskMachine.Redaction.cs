using Ripcord.Contracts.Tasks;

namespace Ripcord.Grains.Tasks;

public static partial class TaskMachine
{
    /// <summary>The case was redacted: from this turn on, the task holds no payloads (<see cref="ErasePayloads"/>).</summary>
    private static TaskState Redact(TaskState state, RedactTask m) =>
        !state.Exists || state.RedactedAt is not null ? state : state with { RedactedAt = m.RedactedAt };

    /// <summary>
    /// After every turn of a redacted task: it keeps its status, times, attempts, usage and error, and loses its input,
    /// output, checkpoints and progress, including any a late agent call brought in after the redaction (a task of an
    /// ended case may still be stopping).
    /// </summary>
    private static TaskState ErasePayloads(TaskState state) =>
        state.RedactedAt is null || (state.Input is null && state.Output is null && state.Checkpoint is null && state.Progress is null && state.Cancel?.Checkpoint is null)
            ? state
            : state with
            {
                Input = null,
                Output = null,
                Checkpoint = null,
                Progress = null,
                Cancel = state.Cancel is { } cancel ? cancel with { Checkpoint = null } : null,
            };
}
