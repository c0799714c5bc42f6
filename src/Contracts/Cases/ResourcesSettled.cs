namespace Ripcord.Contracts.Cases;

/// <summary>Registry to case grain: after <see cref="CloseRegistry"/>, no resource is held or releasing any more.</summary>
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
}
