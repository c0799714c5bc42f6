namespace Ripcord.Contracts;

/// <summary>
/// A cancel (or confirm, override, task cancel) refused for lack of rights on the case: an alert for the case's
/// administrators. It never pauses or changes the case.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.views.cancel-refusal")]
public sealed record CancelRefusal
{
    [Id(0)]
    public DateTimeOffset At { get; init; }

    /// <summary>Who asked (<c>anonymous</c> when no principal was given).</summary>
    [Id(1)]
    public required string Principal { get; init; }

    /// <summary>What was refused: <c>cancel_case</c>, <c>confirm_cancel</c>, <c>override_cancel</c> or <c>cancel_activity</c>.</summary>
    [Id(2)]
    public required string Action { get; init; }
}
