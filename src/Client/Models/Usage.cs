namespace Ripcord.Client.Models;

/// <summary>Compute spent (or estimated) by a task.</summary>
public sealed record Usage
{
    /// <summary>Model tokens, counted by the agent.</summary>
    public long Tokens { get; init; }

    /// <summary>GPU time in seconds (fractions allowed).</summary>
    public double GpuSeconds { get; init; }
}
