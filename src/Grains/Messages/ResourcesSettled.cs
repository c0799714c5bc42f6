namespace Ripcord.Grains;

/// <summary>Registry to case grain: after <see cref="CloseRegistry"/>, no resource is held or releasing any more.</summary>
public sealed record ResourcesSettled
{
    public int Released { get; init; }

    public int Orphaned { get; init; }

    public int Total { get; init; }
}
