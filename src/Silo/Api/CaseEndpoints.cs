using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Grains;
using Ripcord.Grains.Processes;
using Ripcord.Grains.Storage;
using Ripcord.Silo.Api.OpenApi;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>Cases: start, read, list, watch, and every way of cancelling (API.md "Cases" and "Cancelling").</summary>
public static partial class CaseEndpoints
{
    public static RouteGroupBuilder MapCaseEndpoints(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapPost("", StartAsync).RequireAuthorization(Roles.OperatePolicy).WithName("StartCase").WithSummary("Starts a case (idempotent by caseId).")
            .AcceptsJson<StartCaseRequest>().Produces<CaseStarted>(StatusCodes.Status201Created).Produces<CaseStarted>()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest).ProducesProblemCodes(StatusCodes.Status403Forbidden, ProblemCodes.ReadOnly)
            .ProducesProblemCodes(StatusCodes.Status404NotFound, ProblemCodes.ProcessNotFound)
            .WithRequestExample(ApiExamples.StartCase).WithResponseExample(StatusCodes.Status201Created, ApiExamples.Started);
        cases.MapGet("", ListAsync).RequireAuthorization(Roles.ReadPolicy).WithName("ListCases").WithSummary("Lists case summaries, with counts per status.")
            .Produces<CaseList>().WithQueryParameterType<CaseStatus>("status").ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest);
        cases.MapGet("/{caseId}", GetAsync).RequireAuthorization(Roles.ReadPolicy).WithName("GetCase").WithSummary("Reads a case: tasks, resources, history, measures.")
            .Produces<CaseView>().ProducesCaseProblems();
        cases.MapGet("/{caseId}/events", EventsAsync).RequireAuthorization(Roles.ReadPolicy).WithName("StreamCaseEvents").WithSummary("Streams the case's history as server-sent events.")
            .ProducesServerSentEvents<HistoryEvent>("history").ProducesCaseProblems();
        cases.MapPost("/{caseId}/cancel", CancelAsync).RequireAuthorization(Roles.ReadPolicy).WithName("CancelCase").RequiresCaseRights().WithSummary("Cancel Case (standard or force, optional hold).")
            .AcceptsJson<CancelCaseRequest>(optional: true).ProducesCancelAnswer().ProducesCaseProblems(write: true)
            .WithRequestExample(ApiExamples.CancelCase).WithResponseExample(StatusCodes.Status202Accepted, ApiExamples.Cancelling);
        cases.MapPost("/{caseId}/cancel/confirm", ConfirmAsync).RequireAuthorization(Roles.ReadPolicy).WithName("ConfirmCancel").RequiresCaseRights().WithSummary("Confirms a held cancel.")
            .ProducesCancelAnswer().ProducesCaseProblems(write: true).ProducesProblemCodes(StatusCodes.Status409Conflict, ProblemCodes.Conflict);
        cases.MapPost("/{caseId}/cancel/override", OverrideAsync).RequireAuthorization(Roles.ReadPolicy).WithName("OverrideCancel").RequiresCaseRights().WithSummary("Withdraws a held cancel (a false cancellation).")
            .AcceptsJson<ReasonRequest>(optional: true).ProducesCancelAnswer().ProducesCaseProblems(write: true).ProducesProblemCodes(StatusCodes.Status409Conflict, ProblemCodes.Conflict);
        cases.MapPost("/{caseId}/tasks/{taskId}/cancel", CancelTaskAsync).RequireAuthorization(Roles.ReadPolicy).WithName("CancelTask").RequiresCaseRights().WithSummary("Cancel Activity of one task.")
            .AcceptsJson<ReasonRequest>(optional: true).ProducesTaskCancelAnswer().WithRequestExample(ApiExamples.CancelTask);
        cases.MapPost("/{caseId}/rating", RateAsync).RequireAuthorization(Roles.ReadPolicy).WithName("RateOutput").RequiresCaseRights().WithSummary("Rates a completed case's output 1-5 (the cancel path's output quality when it came through a fallback).")
            .AcceptsJson<RateOutputRequest>().Produces<RatingAnswer>().ProducesCaseProblems(write: true).ProducesProblemCodes(StatusCodes.Status409Conflict, ProblemCodes.Conflict)
            .WithRequestExample(ApiExamples.Rating);
        cases.MapPost("/{caseId}/tasks/cancel", CancelTasksAsync).RequireAuthorization(Roles.ReadPolicy).WithName("CancelTasks").RequiresCaseRights().WithSummary("Cancel Activity of several tasks with one signal.")
            .AcceptsJson<CancelTasksRequest>().ProducesTaskCancelAnswer().WithRequestExample(ApiExamples.CancelTasks);
        cases.MapPost("/{caseId}/purge", PurgeAsync).RequireAuthorization(Roles.AdminPolicy).WithName("PurgeCase").WithSummary("Erases an ended case's payloads now (data minimization); its history keeps every event, payloads redacted.")
            .AcceptsJson<ReasonRequest>(optional: true).Produces<CaseRedacted>(StatusCodes.Status202Accepted).ProducesCaseProblems(write: true)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, ProblemCodes.Conflict)
            .WithRequestExample(ApiExamples.Purge).WithResponseExample(StatusCodes.Status202Accepted, ApiExamples.Redacted);
        return cases;
    }

    /// <summary>History events a case view carries.</summary>
    private const int ViewHistory = 1000;

    /// <summary>History events read per round of a case's event stream.</summary>
    private const int StreamBatch = 500;

    /// <summary>An idle event stream sends a comment this often, so proxies keep it open.</summary>
    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan EventStreamRetry = TimeSpan.FromSeconds(2);

    private static Task<IResult> StartAsync(HttpRequest request, ClaimsPrincipal user, GrainReferences grains, IProcessDefinitionRepository processes, IOptions<AuthOptions> auth, CancellationToken cancellationToken) =>
        CommandAsync<StartCaseRequest>(
            request,
            auth,
            JsonBody.ReadAsync<StartCaseRequest>,
            body => Validation.Fail(
                body.CaseId is null ? null : Validation.Id("caseId", body.CaseId),
                string.IsNullOrWhiteSpace(body.Process) ? "process must not be empty" : null,
                body.Admins?.Any(string.IsNullOrWhiteSpace) == true ? "admins must not contain empty names" : null,
                Validation.Seconds("cancel.ackTimeoutSeconds", body.Cancel?.AckTimeoutSeconds),
                Validation.Seconds("cancel.gracePeriodSeconds", body.Cancel?.GracePeriodSeconds),
                Validation.Seconds("cancel.holdSeconds", body.Cancel?.HoldSeconds)),
            async body =>
            {
                var definition = await processes.FindAsync(body.Process, cancellationToken);
                if (definition is null)
                {
                    return Problems.NotFound(ProblemCodes.ProcessNotFound, $"No process '{body.Process}' is registered.");
                }

                // A case started without an id gets one here (always a valid id).
                var caseId = body.CaseId ?? "c-" + Guid.NewGuid().ToString("N")[..12];
                var start = new StartCase
                {
                    Definition = definition,
                    Input = body.Input,
                    StartedBy = Caller.From(user).Principal,
                    Admins = body.Admins is null ? [] : [.. body.Admins],
                    Cancel = body.Cancel,
                };
                var result = await grains.Case(caseId).Start(start);
                return result.Status switch
                {
                    CommandStatus.Created => Results.Created($"/api/v1/cases/{Uri.EscapeDataString(caseId)}", new CaseStarted(caseId, StatusOf(result.CaseStatus))),
                    CommandStatus.Ok => Results.Ok(new CaseStarted(caseId, StatusOf(result.CaseStatus))),
                    CommandStatus.InvalidRequest when !result.Errors.IsDefaultOrEmpty =>
                        Problems.Result(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, string.Join("; ", result.Errors.Select(e => e.Message)), new Dictionary<string, object?> { ["errors"] = result.Errors }),
                    _ => CommandResults.Problem(result.Status, null, caseId),
                };
            },
            cancellationToken);

    private static async Task<IResult> GetAsync(string caseId, GrainReferences grains)
    {
        if (Validation.Fail(Validation.Id("caseId", caseId)) is { } invalid)
        {
            return invalid;
        }

        var view = await grains.Case(caseId).GetView(ViewHistory);
        return view is null ? Problems.NotFound(ProblemCodes.CaseNotFound, $"No case '{caseId}'.") : Results.Ok(view);
    }

    private static async Task<IResult> ListAsync(string? status, string? process, int? limit, string? after, ICaseIndex index, CancellationToken cancellationToken)
    {
        CaseStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            try
            {
                wanted = JsonSerializer.Deserialize<CaseStatus>($"\"{JsonEncodedText.Encode(status)}\"", RipcordJson.Options);
            }
            catch (JsonException)
            {
                return Problems.BadRequest($"status '{status}' is not a case status (running, completed, failed, cancel_pending, cancelling, force_cancelling, cancelled).");
            }
        }

        if (limit is < 1 or > 1000)
        {
            return Problems.BadRequest("limit must be between 1 and 1000.");
        }

        var page = await index.QueryAsync(new CaseQuery { Status = wanted, Process = process, After = after, Limit = limit ?? 100 }, cancellationToken);
        return Results.Ok(new CaseList(
            page.Cases.Select(c => c.ToSummary()),
            page.Next,
            page.Counts.ToDictionary(c => ApiNames.Of(c.Key), c => c.Value, StringComparer.Ordinal)));
    }

    private static async Task EventsAsync(string caseId, HttpContext context, ICaseIndex index, ICaseHistory history, TimeProvider time)
    {
        var token = context.RequestAborted;
        if (Validation.Id("caseId", caseId) is { } fault)
        {
            await Problems.BadRequest(fault).ExecuteAsync(context);
            return;
        }

        // The case grain writes its index row before its start answers, so a started case always has one.
        if (await index.GetAsync(caseId, token) is null)
        {
            await Problems.NotFound(ProblemCodes.CaseNotFound, $"No case '{caseId}'.").ExecuteAsync(context);
            return;
        }

        long after = 0;
        if (long.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var lastId) && lastId > 0)
        {
            after = lastId;
        }

        var stream = await ServerSentEvents.StartAsync(context, EventStreamRetry);
        var lastWrite = time.GetTimestamp();
        try
        {
            while (!token.IsCancellationRequested)
            {
                var events = await history.ReadAsync(caseId, after, StreamBatch, token);
                foreach (var e in events)
                {
                    await stream.WriteAsync("history", JsonSerializer.Serialize(e, ApiJson.Options), e.Sequence.ToString(CultureInfo.InvariantCulture), token);
                    after = e.Sequence;
                }

                if (events.Count > 0)
                {
                    lastWrite = time.GetTimestamp();
                    if (events.Count == StreamBatch)
                    {
                        continue;
                    }
                }
                else if (time.GetElapsedTime(lastWrite) >= KeepAliveEvery)
                {
                    await stream.KeepAliveAsync(token);
                    lastWrite = time.GetTimestamp();
                }

                // A wake-up is a hint (an append anywhere in the cluster may have happened): the next read tells.
                var idle = KeepAliveEvery - time.GetElapsedTime(lastWrite);
                await history.WaitForAppendAsync(caseId, after, idle > MinimumWait ? idle : MinimumWait, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
