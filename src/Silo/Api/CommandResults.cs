using Ripcord.Contracts;

namespace Ripcord.Silo.Api;

/// <summary>Maps a grain's <see cref="CommandStatus"/>, or a grain call that failed, to the API's status codes and problem codes.</summary>
public static class CommandResults
{
    public static IResult Problem(CommandStatus status, string? error, string caseId, string? taskId = null) => status switch
    {
        CommandStatus.InvalidRequest => Problems.BadRequest(error ?? "The request is invalid."),
        CommandStatus.Forbidden => Problems.Forbidden(error ?? "Not allowed."),
        CommandStatus.CaseNotFound => Problems.NotFound(ProblemCodes.CaseNotFound, error ?? $"No case '{caseId}'."),
        CommandStatus.TaskNotFound => Problems.NotFound(ProblemCodes.TaskNotFound, error ?? $"No task '{taskId}' in case '{caseId}'."),
        CommandStatus.LeaseLost => Problems.Conflict(ProblemCodes.LeaseLost, error ?? "The lease was fenced or moved to another agent."),
        CommandStatus.TaskCancelled => Problems.Conflict(ProblemCodes.TaskCancelled, error ?? "The task was cancelled; the late write was recorded."),
        CommandStatus.Conflict => Problems.Conflict(ProblemCodes.Conflict, error ?? "The request conflicts with the current state."),
        _ => Problems.Result(StatusCodes.Status500InternalServerError, ProblemCodes.Internal, $"Unexpected outcome {status}."),
    };

    /// <summary>
    /// A grain call timed out or the cluster refused it. Orleans delivers a call at most once, so the grain may have
    /// written the turn before its answer was lost; every command is idempotent in its machine, so a retry is safe.
    /// </summary>
    public static IResult Unavailable() =>
        Problems.Result(
            StatusCodes.Status503ServiceUnavailable,
            ProblemCodes.Unavailable,
            "The cluster did not answer in time. The request may or may not have been applied; it is safe to retry.");
}
