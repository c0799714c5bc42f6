namespace Ripcord.Contracts.Cases;

/// <summary>Confirms a held Cancel Case so it runs now (ask; replies <see cref="CancelCaseResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.cases.confirm-cancel")]
public sealed record ConfirmCancel
{
    [Id(0)]
    public required string RequestedBy { get; init; }

    [Id(1)]
    public bool HasAdminRole { get; init; }
}
