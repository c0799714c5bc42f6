using Ripcord.Runtime;

namespace Ripcord.Silo.Hosting;

/// <summary><c>/healthz</c>: the process is alive. <c>/readyz</c>: the runtime runs and its store answers.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapRipcordHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Ok(new { status = "alive" })).ExcludeFromDescription();
        endpoints.MapGet("/readyz", async (GrainRuntime runtime, CancellationToken cancellationToken) =>
        {
            try
            {
                await runtime.Store.ReadStateAsync(GrainId.ForCase("readiness", "readiness"), cancellationToken);
                return Results.Ok(new { status = "ready", silo = runtime.SiloId });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Json(new { status = "unavailable", error = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).ExcludeFromDescription();
        return endpoints;
    }
}
