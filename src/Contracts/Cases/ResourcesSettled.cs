namespace Ripcord.Contracts.Cases;

/// <summary>
/// Registry to case grain: after <see cref="CloseRegistry"/>, no resource is held or releasing any more; or, from a
/// registry the case never closed, once a fenced agent's late registration was released (<see cref="WithoutClose"/>).
/// </summary>
[GenerateSerializer]
[Alias("ripcord.cases.resources-settled")]
public sealed record ResourcesSettled
{
    [Id(0)]
    public int Released { get; init; }

    [Id(1)]
    public int Orphaned { get; init; }

    [Id(2)]
    public int Total { get; init; }

    /// <summary>Sent by a registry that was never closed: the case settled without it, as none of its tasks handed one over.</summary>
    [Id(3)]
    public bool WithoutClose { get; init; }
}
