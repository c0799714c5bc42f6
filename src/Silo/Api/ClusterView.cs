namespace Ripcord.Silo.Api;

// The body of GET /api/v1/cluster (docs/api.md "Cluster").

/// <summary>The Orleans cluster as the answering silo (<paramref name="Self"/>) sees it; <paramref name="Store"/> is <c>InMemory</c> or <c>Postgres</c>.</summary>
public sealed record ClusterView(DateTimeOffset At, string Store, string Self, IEnumerable<SiloView> Silos);

/// <summary>
/// One silo of the membership. <paramref name="Activations"/> is null when the silo did not answer for its statistics
/// (<paramref name="LeasesHeld"/> repeats it for older clients, 0 then); <paramref name="AgentStreams"/> is known only
/// for the answering silo.
/// </summary>
public sealed record SiloView(
    string SiloId,
    string Address,
    string Status,
    bool Self,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastHeartbeatAt,
    int? Activations,
    int LeasesHeld,
    int? AgentStreams);
