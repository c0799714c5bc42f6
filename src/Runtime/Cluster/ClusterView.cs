namespace Ripcord.Runtime.Cluster;

/// <summary>The cluster at a glance: its silos, the messages waiting in mailboxes and the dead letters kept.</summary>
public sealed record ClusterView(string Store, IReadOnlyList<SiloView> Silos, long MailboxDepth, long DeadLetters);
