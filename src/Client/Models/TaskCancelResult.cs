namespace Ripcord.Client.Models;

/// <summary>The answer to a task cancel (Cancel Activity).</summary>
public sealed record TaskCancelResult
{
    /// <summary><see langword="true"/> when the task had already ended; nothing changed.</summary>
    public bool AlreadyClosed { get; init; }

    /// <summary>What happened to each task, when the server reports it (multi-task cancels).</summary>
    public IReadOnlyList<TaskCancelOutcome> Tasks { get; init; } = [];
}
