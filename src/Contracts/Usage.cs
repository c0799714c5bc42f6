namespace Ripcord.Contracts;

/// <summary>Compute an agent reported: used so far (usage) or expected in total (estimate).</summary>
[GenerateSerializer]
[Alias("ripcord.contracts.usage")]
public sealed record Usage
{
    public static readonly Usage Zero = new();

    [Id(0)]
    public long Tokens { get; init; }

    [Id(1)]
    public double GpuSeconds { get; init; }
}
