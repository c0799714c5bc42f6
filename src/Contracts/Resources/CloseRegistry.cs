namespace Ripcord.Contracts.Resources;

/// <summary>Case grain to registry: the case ended (every task is terminal); release everything and report <see cref="ResourcesSettled"/>.</summary>
[GenerateSerializer]
[Alias("ripcord.resources.close-registry")]
public sealed record CloseRegistry
{
    [Id(0)]
    public string? Reason { get; init; }

    [Id(1)]
    public ReleaseSettings Settings { get; init; } = ReleaseSettings.Default;
}
