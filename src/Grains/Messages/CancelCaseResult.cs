using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>
/// Answer to <see cref="CancelCase"/>, <see cref="ConfirmCancel"/> and <see cref="OverrideCancel"/>:
/// <see cref="CommandStatus.Accepted"/> (202) when something was set in motion, <see cref="CommandStatus.Ok"/> with
/// <see cref="AlreadyClosed"/> when the case had ended, or an error code with <see cref="Error"/>.
/// </summary>
public sealed record CancelCaseResult(CommandStatus Status, bool AlreadyClosed, CaseStatus? CaseStatus, string? Error = null);
