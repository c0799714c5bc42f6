namespace Ripcord.Client.Models;

/// <summary>What a task cancel did to one task.</summary>
public sealed record TaskCancelOutcome
{
    /// <summary>The task id.</summary>
    public string TaskId { get; init; } = string.Empty;

    /// <summary><see langword="true"/> when the task had already ended.</summary>
    public bool AlreadyClosed { get; init; }

    /// <summary>The task's status after the request.</summary>
    public CaseTaskStatus Status { get; init; }
}
