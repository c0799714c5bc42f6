namespace Ripcord.Silo.SampleAgents;

/// <summary>The body of <c>POST /sim/cloud/vms</c>; optional, every field too.</summary>
public sealed record CreateVmRequest
{
    /// <summary>The VM size, e.g. <c>gpu-small</c>. Default <c>standard-4</c>.</summary>
    public string? Size { get; init; }

    /// <summary>Free-form labels shown in the listing, e.g. the case and task that asked for the VM.</summary>
    public Dictionary<string, string>? Labels { get; init; }
}
