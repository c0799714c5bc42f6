using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains;
using Ripcord.Grains.Cases;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage;
using Ripcord.Silo.Agents;
using Ripcord.Silo.Live;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>Metrics, cluster and the dashboard-wide change stream (API.md "Operations", plus extensions).</summary>
public static class OperationsEndpoints
{
    public static RouteGroupBuilder MapOperationsEndpoints(this RouteGroupBuilder api)
    {
        var ops = api.MapGroup("").WithTags("Operations").RequireAuthorization(Roles.ReadPolicy);
        ops.MapGet("/metrics", MetricsAsync).WithSummary("The seed metrics over every case.");
        ops.MapGet("/cluster", ClusterAsync).WithSummary("Silos, leases, mailbox depth and dead letters.");
        ops.MapGet("/events", EventsAsync).WithSummary("Server-sent events, one per case status change, cluster-wide.");
        return ops;
    }

    private static async Task<IResult> MetricsAsync(IGrainStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (store is not IGrainStateScanner scanner)
        {
            return Problems.Result(StatusCodes.Status501NotImplemented, ProblemCodes.Unavailable, "This store cannot scan cases.");
        }

        var aggregate = new MetricsAggregate();
        string? after = null;
        while (true)
        {
            var batch = await scanner.ScanAsync(GrainTypes.Case, after, 500, cancellationToken);
            foreach (var (_, state) in batch)
            {
                if (state is CaseState { Exists: true } c)
                {
                    aggregate.Add(c);
                }
            }

            if (batch.Count < 500)
            {
                break;
            }

            after = batch[^1].Grain.Key;
        }

        return Results.Ok(aggregate.ToView(time.GetUtcNow()));
    }

    private static async Task<IResult> ClusterAsync(GrainRuntime runtime, AgentSignalHub signals, ReadyTaskIndex ready, TimeProvider time, CancellationToken cancellationToken)
    {
        var cluster = await runtime.InspectClusterAsync(cancellationToken);
        var recent = await runtime.ReadDeadLettersAsync(20, cancellationToken);
        return Results.Ok(new
        {
            at = time.GetUtcNow(),
            store = cluster.Store,
            self = runtime.SiloId,
            silos = cluster.Silos.Select(s => new
            {
                siloId = s.SiloId,
                status = s.Status,
                self = s.IsSelf,
                lastHeartbeatAt = s.LastHeartbeat,
                leasesHeld = s.LeasesHeld,
                activations = s.IsSelf ? runtime.ActivationCount : (int?)null,
                agentStreams = s.IsSelf ? signals.ConnectedStreams : (int?)null,
            }),
            mailboxDepth = cluster.MailboxDepth,
            deadLetters = new
            {
                count = cluster.DeadLetters,
                recent = recent.Reverse().Select(d => new { at = d.At, grain = d.Grain.ToString(), caseId = d.Grain.CaseId, messageId = d.MessageId, messageType = d.Body.GetType().Name, attempts = d.Attempts, error = d.Error }),
            },
            readyTasks = ready.Count,
        });
    }

    private static async Task EventsAsync(HttpContext context, CaseChangeFeed feed)
    {
        var token = context.RequestAborted;
        using var subscription = feed.Listen();
        var stream = await ServerSentEvents.StartAsync(context, TimeSpan.FromSeconds(2));
        await stream.PumpAsync(subscription.Changes, change => ("case", JsonSerializer.Serialize(change, ApiJson.Options)), token);
    }
}
