using Orleans.Runtime;

namespace Ripcord.Silo.Api;

/// <summary>
/// Turns a grain call that timed out (<see cref="TimeoutException"/> after the response timeout) or that the cluster
/// refused (<see cref="OrleansException"/>: silo gone, activation stale, message rejected) into
/// <c>503 unavailable</c>. On a stream already under way there is nothing left to answer: it just ends, and its
/// client reconnects.
/// </summary>
internal sealed partial class GrainCallFailureFilter(ILogger<GrainCallFailureFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var path = context.HttpContext.Request.Path.Value ?? "";
            if (context.HttpContext.Response.HasStarted)
            {
                LogStreamEnded(e, path);
                return Results.Empty;
            }

            LogGrainCallFailed(e, context.HttpContext.Request.Method, path);
            return CommandResults.Unavailable();
        }
    }

    [LoggerMessage(ApiEventIds.GrainCallFailed, LogLevel.Warning, "{Method} {Path} answered 503: a grain call failed")]
    private partial void LogGrainCallFailed(Exception exception, string method, string path);

    [LoggerMessage(ApiEventIds.StreamEndedByFailure, LogLevel.Information, "The stream {Path} ended: a grain call failed")]
    private partial void LogStreamEnded(Exception exception, string path);
}
