namespace Ripcord.Runtime.Cluster;

/// <summary>One silo as the cluster sees it.</summary>
public sealed record SiloView(string SiloId, string Status, DateTimeOffset? LastHeartbeat, int LeasesHeld, bool IsSelf);
