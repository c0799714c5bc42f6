using System.Collections.Immutable;
using Ripcord.Contracts;

namespace Ripcord.Grains.Resources;

/// <summary>The persistent state of a case's resource registry.</summary>
public sealed record RegistryState
{
    public required string CaseId { get; init; }

    public ImmutableDictionary<string, ResourceEntry> Resources { get; init; } = ImmutableDictionary<string, ResourceEntry>.Empty;

    /// <summary>Tasks that ended on a cancel path: anything they register from now on is released at once.</summary>
    public ImmutableArray<string> ReleasedTasks { get; init; } = [];

    /// <summary>Set when the case ended: everything is released, including late registrations.</summary>
    public bool Closed { get; init; }

    public string? CloseReason { get; init; }

    /// <summary>From <see cref="CloseRegistry"/>: per task, how many resources it handed over before it ended.</summary>
    public ImmutableDictionary<string, int> Expected { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>Per task, how many distinct resources it registered here (one already registered by another task counts too).</summary>
    public ImmutableDictionary<string, int> Heard { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>
    /// Set when a fenced agent's late registration arrived before any close: the case may have settled without this
    /// registry, so it reports once that resource is settled (<see cref="ResourcesSettled.WithoutClose"/>).
    /// </summary>
    public bool ReportsWithoutClose { get; init; }

    /// <summary>Set when <see cref="ResourcesSettled"/> was sent for the current set of resources.</summary>
    public bool SettledReported { get; init; }

    public ReleaseSettings Settings { get; init; } = ReleaseSettings.Default;

    /// <summary>When the case was redacted: settled resources lose their details (data minimization).</summary>
    public DateTimeOffset? RedactedAt { get; init; }

    public static RegistryState Empty(string caseId) => new() { CaseId = caseId };
}
