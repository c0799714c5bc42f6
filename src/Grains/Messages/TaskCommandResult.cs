namespace Ripcord.Grains;

/// <summary>
/// Answer to complete, cancel-ack, fail and resource calls: <see cref="CommandStatus.Ok"/>, or
/// <see cref="CommandStatus.TaskCancelled"/> / <see cref="CommandStatus.LeaseLost"/> (rejected; late writes are
/// recorded in history), <see cref="CommandStatus.Conflict"/>, <see cref="CommandStatus.InvalidRequest"/>,
/// <see cref="CommandStatus.TaskNotFound"/>, with <see cref="Error"/> saying why.
/// </summary>
public sealed record TaskCommandResult(CommandStatus Status, string? Error = null)
{
    public static readonly TaskCommandResult Ok = new(CommandStatus.Ok);
}
