namespace Ripcord.Client.Models;

/// <summary>How fast one task's cancel went.</summary>
public sealed record TaskCancelMeasure
{
    /// <summary>The task id.</summary>
    public string TaskId { get; init; } = string.Empty;

    /// <summary>From the cancel request to the signal being committed.</summary>
    public double SignalLatencySeconds { get; init; }

    /// <summary>From the cancel request to the agent's acknowledgement; <see langword="null"/> when none came.</summary>
    public double? AckLatencySeconds { get; init; }

    /// <summary>Whether the task had to be fenced.</summary>
    public bool Fenced { get; init; }

    /// <summary>Estimated tokens not spent.</summary>
    public long TokensSaved { get; init; }

    /// <summary>Estimated GPU seconds not spent.</summary>
    public double GpuSecondsSaved { get; init; }
}
