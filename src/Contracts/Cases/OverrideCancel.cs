namespace Ripcord.Contracts.Cases;

/// <summary>Withdraws a held Cancel Case; the case runs on and the cancel counts as false (ask; replies <see cref="CancelCaseResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.cases.override-cancel")]
public sealed record OverrideCancel
{
    [Id(0)]
    public required string RequestedBy { get; init; }

    [Id(1)]
    public bool HasAdminRole { get; init; }

    [Id(2)]
    public string? Reason { get; init; }
}
