namespace Ripcord.Contracts;

/// <summary>
/// The outcome of an asked command, for the HTTP layer to map: <see cref="Ok"/> 200, <see cref="Created"/> 201,
/// <see cref="Accepted"/> 202, <see cref="InvalidRequest"/> 400, <see cref="Forbidden"/> 403,
/// <see cref="CaseNotFound"/>/<see cref="TaskNotFound"/> 404, <see cref="LeaseLost"/>/<see cref="TaskCancelled"/>/<see cref="Conflict"/> 409.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.enums.command-status")]
public enum CommandStatus
{
    Ok,
    Created,
    Accepted,
    InvalidRequest,
    Forbidden,
    CaseNotFound,
    TaskNotFound,
    LeaseLost,
    TaskCancelled,
    Conflict,
}
