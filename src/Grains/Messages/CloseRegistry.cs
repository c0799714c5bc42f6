using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Case grain to registry: the case ended (every task is terminal); release everything and report <see cref="ResourcesSettled"/>.</summary>
public sealed record CloseRegistry
{
    public string? Reason { get; init; }

    public ReleaseSettings Settings { get; init; } = ReleaseSettings.Default;
}
