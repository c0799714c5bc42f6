namespace Ripcord.Contracts.Cases;

/// <summary>
/// Answer to <see cref="CancelCase"/>, <see cref="ConfirmCancel"/> and <see cref="OverrideCancel"/>:
/// <see cref="CommandStatus.Accepted"/> (202) when something was set in motion, <see cref="CommandStatus.Ok"/> with
/// <see cref="AlreadyClosed"/> when the case had ended, or an error code with <see cref="Error"/>.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.cases.cancel-case-result")]
public sealed record CancelCaseResult([property: Id(0)] CommandStatus Status, [property: Id(1)] bool AlreadyClosed, [property: Id(2)] CaseStatus? CaseStatus, [property: Id(3)] string? Error = null);
