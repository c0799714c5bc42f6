namespace Ripcord.Contracts;

/// <summary>
/// How long a case keeps its payloads once it has ended: the optional <c>retention</c> block of a process definition
/// (the Cancel Case seed's data minimization). After the period the case's input, task outputs, checkpoints, late
/// outputs and resource details are erased from its grains, its history and its index; every history event stays
/// with its payload redacted. Null periods keep the payloads until the case is purged.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.definitions.retention-settings")]
public sealed record RetentionSettings
{
    /// <summary>The longest period accepted: a hundred years.</summary>
    public const double MaxSeconds = 100 * 365.25 * 24 * 3600;

    public static readonly RetentionSettings Default = new();

    /// <summary>Seconds a case that ended <c>cancelled</c> (a withdrawal) keeps its payloads. Null (default): until purged.</summary>
    [Id(0)]
    public double? CancelledSeconds { get; init; }

    /// <summary>Seconds a case that ended <c>completed</c> or <c>failed</c> keeps its payloads. Null (default): until purged.</summary>
    [Id(1)]
    public double? CompletedOrFailedSeconds { get; init; }

    /// <summary>
    /// The seed's Audit-Preserving Cancel: the audit snapshots agents hand over with their cancel acknowledgement
    /// are kept when the rest is erased. Default false: they are erased too.
    /// </summary>
    [Id(2)]
    public bool AuditPreserving { get; init; }

    /// <summary>How long after ending in <paramref name="status"/> the payloads are erased; null when they are kept until purged.</summary>
    public TimeSpan? PeriodAfter(CaseStatus status)
    {
        var seconds = status == CaseStatus.Cancelled ? CancelledSeconds : CompletedOrFailedSeconds;
        return seconds is { } s ? TimeSpan.FromSeconds(s) : null;
    }

    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[] { ("cancelledSeconds", CancelledSeconds), ("completedOrFailedSeconds", CompletedOrFailedSeconds) })
        {
            if (value is { } seconds && !(seconds is >= 0 and <= MaxSeconds))
            {
                yield return $"retention.{name} must be between 0 and {MaxSeconds} (a hundred years), not {seconds}";
            }
        }
    }
}
