using Microsoft.AspNetCore.Mvc;

namespace Ripcord.Silo.Api;

/// <summary>RFC 9457 problem-details responses carrying a stable <c>code</c>.</summary>
public static class Problems
{
    public static IResult Result(int status, string code, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = Create(status, code, detail, extensions);
        return Results.Json(problem, statusCode: status, contentType: "application/problem+json");
    }

    public static IResult BadRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        Result(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, detail, extensions);

    public static IResult NotFound(string code, string detail) => Result(StatusCodes.Status404NotFound, code, detail);

    public static IResult Forbidden(string detail) => Result(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, detail);

    public static IResult Conflict(string code, string detail) => Result(StatusCodes.Status409Conflict, code, detail);

    public static Task Write(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(Create(status, code, detail), options: null, contentType: "application/problem+json");
    }

    public static ProblemDetails Create(int status, string code, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = Title(code),
            Detail = detail,
            Type = "https://ripcord.dev/problems/" + code.Replace('_', '-'),
        };
        problem.Extensions["code"] = code;
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return problem;
    }

    /// <summary>The short summary of a problem code, the body's <c>title</c> (and its description in the OpenAPI document).</summary>
    public static string Title(string code) => code switch
    {
        ProblemCodes.InvalidRequest => "The request is invalid.",
        ProblemCodes.InvalidDefinition => "The process definition is invalid.",
        ProblemCodes.CaseNotFound => "No such case.",
        ProblemCodes.TaskNotFound => "No such task.",
        ProblemCodes.ProcessNotFound => "No such process.",
        ProblemCodes.ResourceNotFound => "No such resource.",
        ProblemCodes.ReleaseHostNotAllowed => "The release webhook's host is not allowed.",
        ProblemCodes.KillHookHostNotAllowed => "The kill hook's host is not allowed.",
        ProblemCodes.NotFound => "No such endpoint.",
        ProblemCodes.Forbidden => "Not allowed.",
        ProblemCodes.Unauthenticated => "Not authenticated.",
        ProblemCodes.LeaseLost => "The task's lease was lost.",
        ProblemCodes.TaskCancelled => "The task was cancelled.",
        ProblemCodes.Conflict => "The request conflicts with the current state.",
        ProblemCodes.ReadOnly => "The silo is read-only.",
        ProblemCodes.PayloadTooLarge => "The request body is too large.",
        ProblemCodes.CheckpointTooLarge => "The checkpoint is too large.",
        ProblemCodes.Unavailable => "The service is unavailable.",
        ProblemCodes.Internal => "The silo failed.",
        _ => "The request failed.",
    };
}
