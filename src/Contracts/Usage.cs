namespace Ripcord.Contracts;

/// <summary>Compute an agent reported: used so far (usage) or expected in total (estimate).</summary>
public sealed record Usage
{
    public static readonly Usage Zero = new();

    public long Tokens { get; init; }

    public double GpuSeconds { get; init; }
}
