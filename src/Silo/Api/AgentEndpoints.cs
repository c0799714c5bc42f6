using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Ripcord.Contracts;
using Ripcord.Contracts.Agents;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains;
using Ripcord.Grains.Durability;
using Ripcord.Grains.Outbox;
using Ripcord.Grains.Storage;
using Ripcord.Silo.Agents;
using Ripcord.Silo.Api.OpenApi;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>The agent protocol (API.md "Agent protocol", role agent).</summary>
public static partial class AgentEndpoints
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    public static RouteGroupBuilder MapAgentEndpoints(this RouteGroupBuilder api)
    {
        var agents = api.MapGroup("").WithTags("Agents").RequireAuthorization(Roles.AgentPolicy);
        agents.MapPost("/agents/{agentId}/poll", PollAsync).WithName("PollTask").WithSummary("Long-polls for a ready task of the given agent types.")
            .AcceptsJson<PollRequest>().Produces<TaskGrant>().Produces(StatusCodes.Status204NoContent)
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, ProblemCodes.KillHookHostNotAllowed)
            .WithRequestExample(ApiExamples.Poll).WithResponseExample(StatusCodes.Status200OK, ApiExamples.Grant);
        agents.MapGet("/agents/{agentId}/signals", SignalsAsync).WithName("StreamAgentSignals").WithSummary("Server-sent cancel signals for the tasks this agent holds.")
            .ProducesServerSentEvents<CancelSignalEvent>("cancel").ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest);
        agents.MapPost("/tasks/{caseId}/{taskId}/heartbeat", HeartbeatAsync).WithName("Heartbeat").WithSummary("Heartbeat; answers a pending cancel.")
            .AcceptsJson<HeartbeatRequest>().Produces<HeartbeatAnswer>().ProducesTaskProblems().ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.CheckpointTooLarge)
            .WithRequestExample(ApiExamples.Heartbeat).WithResponseExample(StatusCodes.Status200OK, ApiExamples.CancelRequested);
        agents.MapPost("/tasks/{caseId}/{taskId}/complete", (string caseId, string taskId, HttpRequest request, GrainReferences grains, CancellationToken ct) =>
            TaskCommandAsync<CompleteRequest>(caseId, taskId, request, grains, b => new CompleteTask { LeaseToken = b.LeaseToken, Output = b.Output }, ct))
            .WithName("CompleteTask").WithSummary("Delivers the task's output.")
            .AcceptsJson<CompleteRequest>().ProducesReport().WithRequestExample(ApiExamples.Complete);
        agents.MapPost("/tasks/{caseId}/{taskId}/cancel-ack", (string caseId, string taskId, HttpRequest request, GrainReferences grains, IOptions<ApiOptions> options, CancellationToken ct) =>
            TaskCommandAsync<CancelAckRequest>(caseId, taskId, request, grains, b => new AckCancel { LeaseToken = b.LeaseToken, Checkpoint = b.Checkpoint, Snapshot = b.Snapshot, Usage = b.Usage }, ct, refuse: b => RefuseCheckpoint(b.Checkpoint, options.Value)))
            .WithName("AckCancel").WithSummary("Acknowledges a cancel: the agent has stopped.")
            .AcceptsJson<CancelAckRequest>().ProducesReport().ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.CheckpointTooLarge)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ProblemCodes.Conflict).WithRequestExample(ApiExamples.CancelAck);
        agents.MapPost("/tasks/{caseId}/{taskId}/fail", (string caseId, string taskId, HttpRequest request, GrainReferences grains, CancellationToken ct) =>
            TaskCommandAsync<FailRequest>(caseId, taskId, request, grains, b => new FailTask { LeaseToken = b.LeaseToken, Error = b.Error }, ct))
            .WithName("FailTask").WithSummary("Reports that this attempt failed.")
            .AcceptsJson<FailRequest>().ProducesReport().WithRequestExample(ApiExamples.Fail);
        agents.MapPost("/tasks/{caseId}/{taskId}/resources", RegisterResourceAsync).WithName("RegisterResource")
            .WithSummary("Registers a provisioned resource in the case's registry.")
            .AcceptsJson<RegisterResourceRequest>().ProducesReport().ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.ReleaseHostNotAllowed)
            .WithRequestExample(ApiExamples.Resource);
        agents.MapDelete("/tasks/{caseId}/{taskId}/resources/{resourceId}", FreeResourceAsync).WithName("FreeResource").WithSummary("Says the agent freed a resource itself.")
            .AcceptsJson<LeaseRequest>(optional: true).ProducesReport();
        return agents;
    }

    private static async Task<IResult> PollAsync(string agentId, HttpRequest request, ReadyTaskDispatcher dispatcher, WebhookHosts hosts, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<PollRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (Validation.Fail(
                Validation.Id("agentId", agentId),
                body!.Agents.Length == 0 ? "agents must name at least one agent type" : null,
                body.Agents.Select(a => Validation.Id("agents[]", a)).FirstOrDefault(f => f is not null),
                Validation.Seconds("waitSeconds", body.WaitSeconds, MaxWait.TotalSeconds),
                body.KillHookUrl is { } hook && !(Uri.TryCreate(hook, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") ? "killHookUrl must be an absolute http(s) URL" : null) is { } invalid)
        {
            return invalid;
        }

        if (body.KillHookUrl is { } killHook && new Uri(killHook) is var killHookUri && !hosts.KillHooks.Allows(killHookUri))
        {
            // Refused before anything is claimed: the agent learns at once, and no task waits on a hook never called.
            return Problems.Result(
                StatusCodes.Status400BadRequest,
                ProblemCodes.KillHookHostNotAllowed,
                $"killHookUrl names host '{killHookUri.Authority}', which is not in Ripcord:Agents:AllowedKillHookHosts; the silo calls kill hooks only on hosts its operator allows");
        }

        var granted = await dispatcher.ClaimAsync(agentId, body.Agents, body.KillHookUrl, TimeSpan.FromSeconds(body.WaitSeconds ?? 20), cancellationToken);
        if (granted is null)
        {
            return Results.NoContent();
        }

        return Results.Ok(new TaskGrant(granted.CaseId!, granted.TaskId!, granted.Agent!, granted.Input, granted.Checkpoint, granted.LeaseToken!, granted.HeartbeatSeconds, granted.Attempt));
    }

    private static async Task SignalsAsync(string agentId, HttpContext context, AgentSignalHub hub, GrainReferences grains, RipcordClock clock, ILoggerFactory loggers)
    {
        if (Validation.Id("agentId", agentId) is { } fault)
        {
            await Problems.BadRequest(fault).ExecuteAsync(context);
            return;
        }

        var token = context.RequestAborted;
        using var lease = await hub.ConnectAsync(agentId);
        var stream = await ServerSentEvents.StartAsync(context, TimeSpan.FromSeconds(1));
        await stream.PumpAsync(lease.Signals, signal => ("cancel", JsonSerializer.Serialize(
            new CancelSignalEvent(signal.CaseId, signal.TaskId, signal.Mode, signal.Reason, signal.Deadline, signal.EscalationLevel), ApiJson.Options)), token, signal => RecordDeliveredAsync(grains, loggers, agentId, signal, clock.Now).Ignore());
    }

    /// <summary>
    /// The task records that its signal reached the agent (deliveredAt, the time it was flushed), as a heartbeat reply
    /// would; the stream does not wait for it.
    /// </summary>
    private static async Task RecordDeliveredAsync(GrainReferences grains, ILoggerFactory loggers, string agentId, CancelSignalNotice signal, DateTimeOffset pushedAt)
    {
        try
        {
            await grains.Task(signal.CaseId, signal.TaskId).SignalDelivered(new CancelSignalPushed(agentId, pushedAt));
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // The signal did reach the agent; only its delivery time goes unrecorded.
            LogDeliveryNotRecorded(loggers.CreateLogger(typeof(AgentEndpoints)), e, signal.CaseId, signal.TaskId, agentId);
        }
    }

    private static async Task<IResult> HeartbeatAsync(string caseId, string taskId, HttpRequest request, GrainReferences grains, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<HeartbeatRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (Validation.Fail(Validation.Id("caseId", caseId), Validation.Id("taskId", taskId), string.IsNullOrEmpty(body!.LeaseToken) ? "leaseToken must not be empty" : null) is { } invalid)
        {
            return invalid;
        }

        if (RefuseCheckpoint(body.Checkpoint, options.Value) is { } tooLarge)
        {
            return tooLarge;
        }

        var message = new Heartbeat { LeaseToken = body.LeaseToken, Progress = body.Progress, Usage = body.Usage, Estimate = body.Estimate, Checkpoint = body.Checkpoint };
        var result = await grains.Task(caseId, taskId).Heartbeat(message);
        return result.Status == CommandStatus.Ok
            ? Results.Ok(new HeartbeatAnswer(result.Cancel))
            : CommandResults.Problem(result.Status, result.Error, caseId, taskId);
    }

    /// <summary>400 checkpoint_too_large for a checkpoint over <see cref="ApiOptions.MaxCheckpointBytes"/>, measured on the JSON as sent.</summary>
    private static IResult? RefuseCheckpoint(JsonElement? checkpoint, ApiOptions options)
    {
        if (checkpoint is not { } value)
        {
            return null;
        }

        var size = JsonMarshal.GetRawUtf8Value(value).Length;
        return size <= options.MaxCheckpointBytes
            ? null
            : Problems.Result(StatusCodes.Status400BadRequest, ProblemCodes.CheckpointTooLarge, $"checkpoint is {size} bytes; the limit is {options.MaxCheckpointBytes} bytes (Ripcord:Api:MaxCheckpointBytes)", new Dictionary<string, object?> { ["limit"] = options.MaxCheckpointBytes, ["size"] = size });
    }

    private static async Task<IResult> FreeResourceAsync(string caseId, string taskId, string resourceId, string? leaseToken, HttpRequest request, GrainReferences grains, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(leaseToken) && request.ContentLength is > 0)
        {
            var (body, error) = await JsonBody.ReadAsync<LeaseRequest>(request, cancellationToken);
            if (error is not null)
            {
                return error;
            }

            leaseToken = body!.LeaseToken;
        }

        if (Validation.Fail(
                Validation.Id("caseId", caseId),
                Validation.Id("taskId", taskId),
                Validation.Id("resourceId", resourceId),
                string.IsNullOrEmpty(leaseToken) ? "leaseToken is required (in the body or the leaseToken query parameter)" : null) is { } invalid)
        {
            return invalid;
        }

        return await AskTaskAsync(grains, caseId, taskId, new FreeResource { LeaseToken = leaseToken!, ResourceId = resourceId }, cancellationToken);
    }

    /// <param name="validate">The body's fault (a 400 <c>invalid_request</c>), or null.</param>
    /// <param name="refuse">Checked once the body is valid: a refusal with a code of its own, or null.</param>
    private static async Task<IResult> TaskCommandAsync<TBody>(string caseId, string taskId, HttpRequest request, GrainReferences grains, Func<TBody, object> toMessage, CancellationToken cancellationToken, Func<TBody, string?>? validate = null, Func<TBody, IResult?>? refuse = null)
        where TBody : class
    {
        var (body, error) = await JsonBody.ReadAsync<TBody>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var lease = body switch
        {
            CompleteRequest b => b.LeaseToken,
            CancelAckRequest b => b.LeaseToken,
            FailRequest b => b.LeaseToken,
            RegisterResourceRequest b => b.LeaseToken,
            _ => "",
        };
        if (Validation.Fail(
                Validation.Id("caseId", caseId),
                Validation.Id("taskId", taskId),
                string.IsNullOrEmpty(lease) ? "leaseToken must not be empty" : null,
                validate?.Invoke(body!)) is { } invalid)
        {
            return invalid;
        }

        if (refuse?.Invoke(body!) is { } refused)
        {
            return refused;
        }

        return await AskTaskAsync(grains, caseId, taskId, toMessage(body!), cancellationToken);
    }

    private static async Task<IResult> AskTaskAsync(GrainReferences grains, string caseId, string taskId, object message, CancellationToken cancellationToken)
    {
        var grain = grains.Task(caseId, taskId);
        var result = await (message switch
        {
            CompleteTask m => grain.Complete(m),
            AckCancel m => grain.AckCancel(m),
            FailTask m => grain.Fail(m),
            RegisterResource m => grain.RegisterResource(m),
            FreeResource m => grain.FreeResource(m),
            _ => throw new ArgumentException($"No task command {message.GetType().Name}.", nameof(message)),
        });
        return result.Status == CommandStatus.Ok
            ? Results.Ok(new ReportAccepted(true))
            : CommandResults.Problem(result.Status, result.Error, caseId, taskId);
    }

    /// <summary>A bad id or body, a task that has not started, a lost lease.</summary>
    private static RouteHandlerBuilder ProducesTaskProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest)
            .ProducesProblemCodes(StatusCodes.Status404NotFound, ProblemCodes.TaskNotFound)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ProblemCodes.LeaseLost, ProblemCodes.TaskCancelled);

    /// <summary>An agent's report: accepted, or one of the task problems.</summary>
    private static RouteHandlerBuilder ProducesReport(this RouteHandlerBuilder builder) => builder.Produces<ReportAccepted>().ProducesTaskProblems();

    [LoggerMessage(ApiEventIds.SignalDeliveryNotRecorded, LogLevel.Warning, "The cancel signal of {CaseId}/{TaskId} reached agent {AgentId}, but its task grain could not record the delivery")]
    private static partial void LogDeliveryNotRecorded(ILogger logger, Exception exception, string caseId, string taskId, string agentId);
}
