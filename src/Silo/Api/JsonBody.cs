using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Ripcord.Silo.Api;

/// <summary>
/// Reads a request body as JSON and turns every way it can be wrong (not JSON, wrong types, missing required
/// fields, too large) into a <c>400 invalid_request</c> naming the fault, so bad input never reaches a grain.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && request.ContentLength > max)
        {
            return (null, TooLarge(max));
        }

        if (request.ContentLength == 0)
        {
            return (null, Problems.BadRequest("The request body is empty; a JSON object is required."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Options, cancellationToken);
            return value is null
                ? (null, Problems.BadRequest("The request body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at '{e.Path}'";
            return (null, Problems.BadRequest($"The request body is not valid{where}: {Describe(e)}", new Dictionary<string, object?> { ["path"] = e.Path }));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit ?? 0));
        }
    }

    /// <summary>Like <see cref="ReadAsync{T}"/>, but a request with no body (and no content type) means the defaults.</summary>
    public static Task<(T? Value, IResult? Error)> ReadOptionalAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class, new() =>
        request.ContentLength is 0 or null && !request.Headers.ContentType.Any()
            ? Task.FromResult<(T?, IResult?)>((new T(), null))
            : ReadAsync<T>(request, cancellationToken);

    private static IResult TooLarge(long max) =>
        Problems.Result(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, $"The request body is larger than the limit of {max} bytes.", new Dictionary<string, object?> { ["limit"] = max });

    private static string Describe(JsonException e)
    {
        // System.Text.Json's messages name the type and path; keep the first sentence, which says what was wrong.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
