using System.Collections.Immutable;

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

    /// <summary>Per task, how many distinct resources it handed to the registry before it ended (tasks with none left out).</summary>
    [Id(2)]
    public ImmutableDictionary<string, int> ExpectedResources { get; init; } = ImmutableDictionary<string, int>.Empty;
}
