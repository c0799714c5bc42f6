using Orleans.Runtime;

namespace Ripcord.Silo.Hosting;

/// <summary>
/// <c>/healthz</c>: the process is alive. <c>/readyz</c>: this silo is an active member of its cluster and its
/// stores answer (a grain call that reads the process catalog from storage, and the case index).
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapRipcordHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Ok(new { status = "alive" })).ExcludeFromDescription();
        endpoints.MapGet("/readyz", async (ILocalSiloDetails silo, IGrainFactory grains, Grains.Storage.ICaseIndex index, CancellationToken cancellationToken) =>
        {
            try
            {
                await grains.GetGrain<Contracts.Processes.IProcessCatalogGrain>(Grains.Storage.GrainKeys.ProcessCatalog).List().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                await index.LastChangeSequenceAsync(cancellationToken);
                return Results.Ok(new { status = "ready", silo = silo.Name });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Json(new { status = "unavailable", error = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).ExcludeFromDescription();
        return endpoints;
    }
}
