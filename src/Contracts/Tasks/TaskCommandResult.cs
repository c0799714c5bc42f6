namespace Ripcord.Contracts.Tasks;

/// <summary>
/// Answer to complete, cancel-ack, fail and resource calls: <see cref="CommandStatus.Ok"/>, or
/// <see cref="CommandStatus.TaskCancelled"/> / <see cref="CommandStatus.LeaseLost"/> (rejected; late writes are
/// recorded in history), <see cref="CommandStatus.Conflict"/>, <see cref="CommandStatus.InvalidRequest"/>,
/// <see cref="CommandStatus.TaskNotFound"/>, with <see cref="Error"/> saying why.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.tasks.task-command-result")]
public sealed record TaskCommandResult([property: Id(0)] CommandStatus Status, [property: Id(1)] string? Error = null)
{
    public static readonly TaskCommandResult Ok = new(CommandStatus.Ok);
}
