namespace Ripcord.Grains;

/// <summary>Confirms a held Cancel Case so it runs now (ask; replies <see cref="CancelCaseResult"/>).</summary>
public sealed record ConfirmCancel
{
    public required string RequestedBy { get; init; }

    public bool HasAdminRole { get; init; }
}
