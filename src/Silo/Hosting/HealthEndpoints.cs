using Orleans.Runtime;

namespace Ripcord.Silo.Hosting;

/// <summary>
/// <c>/healthz</c>: the process is alive. <c>/readyz</c>: this silo is an active member of its cluster, is not
/// stopping, and its stores answer (a grain call that reads the process catalog from storage, and the case index).
/// A silo that drains on SIGTERM, or that its cluster declared dead, turns unready at once, so a load balancer or
/// Kubernetes stops sending it requests before it leaves.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapRipcordHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Ok(new { status = "alive" })).ExcludeFromDescription();
        endpoints.MapGet("/readyz", async (ILocalSiloDetails silo, IClusterMembershipService membership, IHostApplicationLifetime lifetime, Grains.GrainReferences grains, Grains.Storage.ICaseIndex index, CancellationToken cancellationToken) =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return Unavailable("stopping", silo);
            }

            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            if (status != SiloStatus.Active)
            {
                return Unavailable($"not an active member of the cluster (membership status {status})", silo);
            }

            try
            {
                await grains.ProcessCatalog().List().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                await index.LastChangeSequenceAsync(cancellationToken);
                return Results.Ok(new { status = "ready", silo = silo.Name });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Unavailable(e.Message, silo);
            }
        }).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Unavailable(string error, ILocalSiloDetails silo) =>
        Results.Json(new { status = "unavailable", silo = silo.Name, error }, statusCode: StatusCodes.Status503ServiceUnavailable);
}
