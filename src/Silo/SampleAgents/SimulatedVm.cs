namespace Ripcord.Silo.SampleAgents;

/// <summary>A VM of the simulated cloud, as <c>GET /sim/cloud/vms</c> shows it.</summary>
public sealed record SimulatedVm
{
    public required string Id { get; init; }

    public required string Size { get; init; }

    /// <summary><c>running</c> or <c>released</c>.</summary>
    public required string State { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ReleasedAt { get; init; }

    /// <summary>How many release calls (<c>DELETE</c>) it received; more than one shows a retried or repeated release.</summary>
    public int ReleaseCalls { get; init; }

    /// <summary>The case that released it, when the call came from a Ripcord registry (its <c>X-Ripcord-Case</c> header).</summary>
    public string? ReleasedByCase { get; init; }

    /// <summary>Free-form labels given at creation, e.g. the case and task that asked for it.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
