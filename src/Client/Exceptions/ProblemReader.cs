using System.Net;
using System.Text.Json;
using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary>Turns an error response into the typed exception for its problem code.</summary>
internal static class ProblemReader
{
    public static async Task<RipcordException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            body = string.Empty;
        }

        var problem = Parse(body, status, response.ReasonPhrase);
        return Create(problem);
    }

    public static RipcordProblem Parse(string body, int status, string? reasonPhrase)
    {
        RipcordProblem? parsed = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                parsed = JsonSerializer.Deserialize<RipcordProblem>(body, RipcordJson.Options);
            }
            catch (JsonException)
            {
                // Not problem details (a proxy's HTML page, say): keep the text as the detail below.
            }
        }

        parsed ??= new RipcordProblem
        {
            Title = reasonPhrase,
            Detail = string.IsNullOrWhiteSpace(body) ? null : Truncate(body.Trim(), 300),
        };

        return parsed with
        {
            Status = parsed.Status == 0 ? status : parsed.Status,
            Code = string.IsNullOrEmpty(parsed.Code) ? CodeForStatus(status) : parsed.Code,
        };
    }

    public static RipcordException Create(RipcordProblem problem) => problem.Code switch
    {
        "invalid_definition" => new InvalidDefinitionException(problem),
        "invalid_request" => new InvalidRequestException(problem),
        "unauthenticated" => new UnauthenticatedException(problem),
        "forbidden" => new ForbiddenException(problem),
        "case_not_found" => new CaseNotFoundException(problem),
        "task_not_found" => new TaskNotFoundException(problem),
        "process_not_found" => new ProcessNotFoundException(problem),
        "lease_lost" => new LeaseLostException(problem),
        "task_cancelled" => new TaskCancelledException(problem),
        "conflict" => new ConflictException(problem),
        _ => problem.Status switch
        {
            (int)HttpStatusCode.BadRequest => new InvalidRequestException(problem),
            (int)HttpStatusCode.Unauthorized => new UnauthenticatedException(problem),
            (int)HttpStatusCode.Forbidden => new ForbiddenException(problem),
            (int)HttpStatusCode.NotFound => new NotFoundException(problem),
            (int)HttpStatusCode.Conflict => new ConflictException(problem),
            _ => new RipcordException(problem),
        },
    };

    private static string CodeForStatus(int status) => status switch
    {
        400 => "invalid_request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        _ => $"http_{status}",
    };

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "...";
}
