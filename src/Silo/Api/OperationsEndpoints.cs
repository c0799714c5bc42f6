using System.Text.Json;
using Orleans.Runtime;
using Ripcord.Grains.Storage;
using Ripcord.Silo.Agents;
using Ripcord.Silo.Api.OpenApi;
using Ripcord.Silo.Live;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>Metrics, cluster and the dashboard-wide change stream (API.md "Operations", plus extensions).</summary>
public static class OperationsEndpoints
{
    /// <summary>How long the cluster view waits for the silos' statistics; a silo that does not answer shows none.</summary>
    private static readonly TimeSpan StatisticsWait = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapOperationsEndpoints(this RouteGroupBuilder api)
    {
        var ops = api.MapGroup("").WithTags("Operations").RequireAuthorization(Roles.ReadPolicy);
        ops.MapGet("/metrics", MetricsAsync).WithName("GetMetrics").WithSummary("The seed metrics over every case.").Produces<MetricsView>();
        ops.MapGet("/cluster", ClusterAsync).WithName("GetCluster").WithSummary("The cluster's silos: status, heartbeat, activations.").Produces<ClusterView>();
        ops.MapGet("/events", EventsAsync).WithName("StreamCaseChanges").WithSummary("Server-sent events, one per case status change, cluster-wide.")
            .ProducesServerSentEvents<CaseChangeEvent>("case").ProducesServerSentEvents<CaseAlertEvent>("alert");
        return ops;
    }

    private static async Task<IResult> MetricsAsync(ICaseIndex index, TimeProvider time, CancellationToken cancellationToken)
    {
        var aggregate = new MetricsAggregate();
        await foreach (var row in index.ReadAllAsync(cancellationToken))
        {
            aggregate.Add(row);
        }

        return Results.Ok(aggregate.ToView(time.GetUtcNow()));
    }

    private static async Task<IResult> ClusterAsync(IGrainFactory grains, ILocalSiloDetails self, AgentSignalHub signals, IConfiguration configuration, TimeProvider time, CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var activations = new Dictionary<SiloAddress, int>();
        try
        {
            var statistics = active.Length == 0 ? [] : await management.GetRuntimeStatistics(active).WaitAsync(StatisticsWait, cancellationToken);
            foreach (var (address, stats) in active.Zip(statistics))
            {
                activations[address] = stats.ActivationCount;
            }
        }
        catch (TimeoutException)
        {
            // A silo that died and is not declared dead yet does not answer: show the silos without activations.
        }
        return Results.Ok(new ClusterView(
            time.GetUtcNow(),
            StoreKind(configuration),
            self.Name,
            hosts.OrderBy(h => h.SiloName, StringComparer.Ordinal).Select(h => new SiloView(
                h.SiloName,
                h.SiloAddress.Endpoint.ToString(),
                StatusName(h.Status),
                h.SiloAddress.Equals(self.SiloAddress),
                Utc(h.StartTime),
                Utc(h.IAmAliveTime),
                activations.TryGetValue(h.SiloAddress, out var count) ? count : null,
                activations.TryGetValue(h.SiloAddress, out var held) ? held : 0,
                h.SiloAddress.Equals(self.SiloAddress) ? signals.ConnectedStreams : null))));
    }

    private static async Task EventsAsync(HttpContext context, CaseChangeFeed feed)
    {
        var token = context.RequestAborted;
        await using var subscription = await feed.ListenAsync(token);
        var stream = await ServerSentEvents.StartAsync(context, TimeSpan.FromSeconds(2));
        await stream.PumpAsync(subscription.Changes, Event, token);
    }

    /// <summary><c>event: case</c> { caseId, process, status, type }, or <c>event: alert</c> with who was refused what, and when.</summary>
    private static (string Event, string Data) Event(CaseChange change) => change.Refusal is { } refusal
        ? ("alert", JsonSerializer.Serialize(new CaseAlertEvent(change.CaseId, change.Process, change.Status, change.Type, refusal.Principal, refusal.Action, refusal.At), ApiJson.Options))
        : ("case", JsonSerializer.Serialize(new CaseChangeEvent(change.CaseId, change.Process, change.Status, change.Type), ApiJson.Options));

    private static string StoreKind(IConfiguration configuration) =>
        string.Equals(configuration["Ripcord:Store:Kind"], "Postgres", StringComparison.OrdinalIgnoreCase) ? "Postgres" : "InMemory";

    private static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Created => "created",
        SiloStatus.Joining => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown => "shutting_down",
        SiloStatus.Stopping => "stopping",
        SiloStatus.Dead => "dead",
        _ => "unknown",
    };

    private static DateTimeOffset? Utc(DateTime at) =>
        at == default ? null : new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
