namespace Ripcord.Contracts.Tasks;

/// <summary>Case grain to task grain: cancel this task (Cancel Activity, Cancel Case, or winding down an ended case).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.cancel-task")]
public sealed record CancelTask
{
    [Id(0)]
    public CancelMode Mode { get; init; }

    [Id(1)]
    public string? Reason { get; init; }

    [Id(2)]
    public required string RequestedBy { get; init; }

    [Id(3)]
    public DateTimeOffset RequestedAt { get; init; }

    /// <summary>The grace period of a standard cancel.</summary>
    [Id(4)]
    public double GracePeriodSeconds { get; init; }

    /// <summary>Cancel Activity of a node with <c>onCancel</c>: the case routes this cancel to the fallback.</summary>
    [Id(5)]
    public bool RoutesToFallback { get; init; }
}
