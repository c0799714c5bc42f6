namespace Ripcord.Grains;

/// <summary>Withdraws a held Cancel Case; the case runs on and the cancel counts as false (ask; replies <see cref="CancelCaseResult"/>).</summary>
public sealed record OverrideCancel
{
    public required string RequestedBy { get; init; }

    public bool HasAdminRole { get; init; }

    public string? Reason { get; init; }
}
