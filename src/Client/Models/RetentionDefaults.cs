namespace Ripcord.Client.Models;

/// <summary>
/// How long an ended case keeps its payloads (data minimization): after the period its input, outputs, checkpoints
/// and resource details are erased and its history keeps every event with the payloads redacted. Unset values keep
/// the server's default (payloads kept until the case is purged; snapshots erased with the rest).
/// </summary>
public sealed record RetentionDefaults
{
    /// <summary>Seconds a case that ended <c>cancelled</c> keeps its payloads; 0 erases them as it ends.</summary>
    public double? CancelledSeconds { get; init; }

    /// <summary>Seconds a case that ended <c>completed</c> or <c>failed</c> keeps its payloads.</summary>
    public double? CompletedOrFailedSeconds { get; init; }

    /// <summary>Keep the audit snapshots agents send with their cancel acknowledgement when the rest is erased.</summary>
    public bool? AuditPreserving { get; init; }
}
