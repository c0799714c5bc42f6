using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Ripcord.Contracts;
using Ripcord.Grains;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Processes;
using Ripcord.Grains.Views;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage;
using Ripcord.Silo.Live;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>Cases: start, read, list, watch, and every way of cancelling (API.md "Cases" and "Cancelling").</summary>
public static class CaseEndpoints
{
    public static RouteGroupBuilder MapCaseEndpoints(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapPost("", StartAsync).RequireAuthorization(Roles.OperatePolicy).WithSummary("Starts a case (idempotent by caseId).");
        cases.MapGet("", ListAsync).RequireAuthorization(Roles.ReadPolicy).WithSummary("Lists case summaries, with counts per status.");
        cases.MapGet("/{caseId}", GetAsync).RequireAuthorization(Roles.ReadPolicy).WithSummary("Reads a case: tasks, resources, history, measures.");
        cases.MapGet("/{caseId}/events", EventsAsync).RequireAuthorization(Roles.ReadPolicy).WithSummary("Streams the case's history as server-sent events.");
        cases.MapPost("/{caseId}/cancel", CancelAsync).RequireAuthorization(Roles.ReadPolicy).WithSummary("Cancel Case (standard or force, optional hold).");
        cases.MapPost("/{caseId}/cancel/confirm", ConfirmAsync).RequireAuthorization(Roles.ReadPolicy).WithSummary("Confirms a held cancel.");
        cases.MapPost("/{caseId}/cancel/override", OverrideAsync).RequireAuthorization(Roles.ReadPolicy).WithSummary("Withdraws a held cancel (a false cancellation).");
        cases.MapPost("/{caseId}/tasks/{taskId}/cancel", CancelTaskAsync).RequireAuthorization(Roles.ReadPolicy).WithSummary("Cancel Activity of one task.");
        cases.MapPost("/{caseId}/rating", RateAsync).RequireAuthorization(Roles.ReadPolicy).WithSummary("Rates a completed case's output 1-5 (the cancel path's output quality when it came through a fallback).");
        cases.MapPost("/{caseId}/tasks/cancel", CancelTasksAsync).RequireAuthorization(Roles.ReadPolicy).WithSummary("Cancel Activity of several tasks with one signal.");
        return cases;
    }

    private static async Task<IResult> StartAsync(HttpRequest request, ClaimsPrincipal user, IGrainClient grains, IProcessDefinitionRepository processes, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (ReadOnly(auth) is { } refused)
        {
            return refused;
        }

        var (body, error) = await JsonBody.ReadAsync<StartCaseRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var caseId = body!.CaseId ?? "c-" + Guid.NewGuid().ToString("N")[..12];
        if (Validation.Fail(
                Validation.Id("caseId", caseId),
                string.IsNullOrWhiteSpace(body.Process) ? "process must not be empty" : null,
                body.Admins?.Any(string.IsNullOrWhiteSpace) == true ? "admins must not contain empty names" : null,
                Validation.Seconds("cancel.ackTimeoutSeconds", body.Cancel?.AckTimeoutSeconds),
                Validation.Seconds("cancel.gracePeriodSeconds", body.Cancel?.GracePeriodSeconds),
                Validation.Seconds("cancel.holdSeconds", body.Cancel?.HoldSeconds)) is { } invalid)
        {
            return invalid;
        }

        var definition = await processes.FindAsync(body.Process, cancellationToken);
        if (definition is null)
        {
            return Problems.NotFound(ProblemCodes.ProcessNotFound, $"No process '{body.Process}' is registered.");
        }

        var start = new StartCase
        {
            Definition = definition,
            Input = body.Input,
            StartedBy = Caller.From(user).Principal,
            Admins = body.Admins is null ? [] : [.. body.Admins],
            Cancel = body.Cancel,
        };
        var answer = await grains.AskAsync<StartCaseResult>(GrainTypes.CaseId(caseId), start, cancellationToken: cancellationToken);
        if (!answer.IsAnswered)
        {
            return Results.Json(new { caseId, status = (string?)null, accepted = true }, statusCode: StatusCodes.Status202Accepted);
        }

        var result = answer.Value!;
        return result.Status switch
        {
            CommandStatus.Created => Results.Created($"/api/v1/cases/{Uri.EscapeDataString(caseId)}", new { caseId, status = result.CaseStatus }),
            CommandStatus.Ok => Results.Ok(new { caseId, status = result.CaseStatus }),
            CommandStatus.InvalidRequest when !result.Errors.IsDefaultOrEmpty =>
                Problems.Result(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, string.Join("; ", result.Errors.Select(e => e.Message)), new Dictionary<string, object?> { ["errors"] = result.Errors }),
            _ => CommandResults.Problem(result.Status, null, caseId),
        };
    }

    private static async Task<IResult> GetAsync(string caseId, IGrainClient grains, CancellationToken cancellationToken)
    {
        if (Validation.Fail(Validation.Id("caseId", caseId)) is { } invalid)
        {
            return invalid;
        }

        var view = await CaseViews.ReadAsync(grains, caseId, cancellationToken: cancellationToken);
        return view is null ? Problems.NotFound(ProblemCodes.CaseNotFound, $"No case '{caseId}'.") : Results.Ok(view);
    }

    private static async Task<IResult> ListAsync(string? status, string? process, int? limit, string? after, IGrainStore store, CancellationToken cancellationToken)
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

        if (store is not IGrainStateScanner scanner)
        {
            return Problems.Result(StatusCodes.Status501NotImplemented, ProblemCodes.Unavailable, "This store cannot list cases.");
        }

        var pageSize = limit ?? 100;
        var page = new List<CaseSummary>(pageSize);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string? cursor = null;
        string? next = null;
        string? scanFrom = null;

        // One pass over the case grains: the counts cover every case, the page the ones after the cursor that match.
        while (true)
        {
            var batch = await scanner.ScanAsync(GrainTypes.Case, scanFrom, 500, cancellationToken);
            foreach (var (_, state) in batch)
            {
                if (state is not CaseState { Exists: true } c)
                {
                    continue;
                }

                var summary = CaseViews.Summarize(c);
                var statusName = ApiNames.Of(summary.Status);
                counts[statusName] = counts.GetValueOrDefault(statusName) + 1;
                if ((after is not null && string.CompareOrdinal(c.CaseId, after) <= 0)
                    || (wanted is { } w && summary.Status != w)
                    || (process is not null && summary.Process != process))
                {
                    continue;
                }

                if (page.Count < pageSize)
                {
                    page.Add(summary);
                    cursor = c.CaseId;
                }
                else
                {
                    next ??= cursor;
                }
            }

            if (batch.Count < 500)
            {
                break;
            }

            scanFrom = batch[^1].Grain.Key;
        }

        return Results.Ok(new { cases = page, next, counts });
    }

    private static async Task EventsAsync(string caseId, HttpContext context, IGrainClient grains, CaseChangeFeed feed, IGrainStore store, IOptions<RuntimeOptions> runtime)
    {
        var token = context.RequestAborted;
        if (Validation.Id("caseId", caseId) is { } fault)
        {
            await Problems.BadRequest(fault).ExecuteAsync(context);
            return;
        }

        if (await grains.ReadStateAsync<CaseState>(GrainTypes.CaseId(caseId), token) is not { Exists: true })
        {
            await Problems.NotFound(ProblemCodes.CaseNotFound, $"No case '{caseId}'.").ExecuteAsync(context);
            return;
        }

        long after = 0;
        if (long.TryParse(context.Request.Headers["Last-Event-ID"], out var lastId) && lastId > 0)
        {
            after = lastId;
        }

        var stream = await ServerSentEvents.StartAsync(context, TimeSpan.FromSeconds(2));

        // A shared store may commit this case's turns on another silo, which does not wake this stream: look again
        // at the poll interval there. On one silo every turn wakes it, and the timeout only sends keep-alives.
        var wait = store.IsShared ? runtime.Value.PollInterval : TimeSpan.FromSeconds(15);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var changed = feed.WaitForChangeAsync(caseId, wait, token);
                var events = await grains.ReadHistoryAsync(caseId, after, 500, token);
                foreach (var e in events)
                {
                    await stream.WriteAsync("history", JsonSerializer.Serialize(e, ApiJson.Options), e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), token);
                    after = e.Sequence;
                }

                if (events.Count == 500)
                {
                    continue;
                }

                await changed;
                if (!changed.IsCompletedSuccessfully || token.IsCancellationRequested)
                {
                    break;
                }

                await stream.KeepAliveAsync(token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task<IResult> CancelAsync(string caseId, HttpRequest request, ClaimsPrincipal user, IGrainClient grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (ReadOnly(auth) is { } refused)
        {
            return refused;
        }

        var (body, error) = await JsonBody.ReadOptionalAsync<CancelCaseRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (Validation.Fail(
                Validation.Id("caseId", caseId),
                Validation.Reason(body!.Reason),
                Validation.Seconds("gracePeriodSeconds", body.GracePeriodSeconds),
                Validation.Seconds("holdSeconds", body.HoldSeconds)) is { } invalid)
        {
            return invalid;
        }

        var caller = Caller.From(user);
        var message = new CancelCase
        {
            RequestedBy = caller.Principal,
            HasAdminRole = caller.IsAdmin,
            Mode = body.Mode,
            Reason = body.Reason,
            GracePeriodSeconds = body.GracePeriodSeconds,
            HoldSeconds = body.HoldSeconds,
        };
        return await AskCaseCancelAsync(grains, caseId, message, cancellationToken);
    }

    private static async Task<IResult> ConfirmAsync(string caseId, HttpRequest request, ClaimsPrincipal user, IGrainClient grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (ReadOnly(auth) is { } refused)
        {
            return refused;
        }

        if (Validation.Fail(Validation.Id("caseId", caseId)) is { } invalid)
        {
            return invalid;
        }

        var caller = Caller.From(user);
        return await AskCaseCancelAsync(grains, caseId, new ConfirmCancel { RequestedBy = caller.Principal, HasAdminRole = caller.IsAdmin }, cancellationToken);
    }

    private static async Task<IResult> OverrideAsync(string caseId, HttpRequest request, ClaimsPrincipal user, IGrainClient grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (ReadOnly(auth) is { } refused)
        {
            return refused;
        }

        var (body, error) = await JsonBody.ReadOptionalAsync<ReasonRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (Validation.Fail(Validation.Id("caseId", caseId), Validation.Reason(body!.Reason)) is { } invalid)
        {
            return invalid;
        }

        var caller = Caller.From(user);
        return await AskCaseCancelAsync(grains, caseId, new OverrideCancel { RequestedBy = caller.Principal, HasAdminRole = caller.IsAdmin, Reason = body.Reason }, cancellationToken);
    }

    private static async Task<IResult> CancelTaskAsync(string caseId, string taskId, HttpRequest request, ClaimsPrincipal user, IGrainClient grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (ReadOnly(auth) is { } refused)
        {
            return refused;
        }

        var (body, error) = await JsonBody.ReadOptionalAsync<ReasonRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (Validation.Fail(Validation.Id("caseId", caseId), Validation.Id("taskId", taskId), Validation.Reason(body!.Reason)) is { } invalid)
        {
            return invalid;
        }

        return await AskActivityCancelAsync(grains, caseId, [taskId], body.Reason, Caller.From(user), cancellationToken);
    }

    private static async Task<IResult> CancelTasksAsync(string caseId, HttpRequest request, ClaimsPrincipal user, IGrainClient grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (ReadOnly(auth) is { } refused)
        {
            return refused;
        }

        var (body, error) = await JsonBody.ReadAsync<CancelTasksRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (Validation.Fail(
                Validation.Id("caseId", caseId),
                body!.TaskIds.Length == 0 ? "taskIds must name at least one task" : null,
                body.TaskIds.Length > 1000 ? "taskIds may name at most 1000 tasks" : null,
                body.TaskIds.Select(t => Validation.Id("taskIds[]", t)).FirstOrDefault(f => f is not null),
                Validation.Reason(body.Reason)) is { } invalid)
        {
            return invalid;
        }

        return await AskActivityCancelAsync(grains, caseId, [.. body.TaskIds.Distinct(StringComparer.Ordinal)], body.Reason, Caller.From(user), cancellationToken);
    }

    private static async Task<IResult> RateAsync(string caseId, HttpRequest request, ClaimsPrincipal user, IGrainClient grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (ReadOnly(auth) is { } refused)
        {
            return refused;
        }

        var (body, error) = await JsonBody.ReadAsync<RateOutputRequest>(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (Validation.Fail(
                Validation.Id("caseId", caseId),
                body!.Rating is < 1 or > 5 ? "rating must be a whole number from 1 to 5" : null,
                Validation.Reason(body.Comment)) is { } invalid)
        {
            return invalid;
        }

        var caller = Caller.From(user);
        var answer = await grains.AskAsync<RateOutputResult>(GrainTypes.CaseId(caseId), new RateOutput { RatedBy = caller.Principal, HasAdminRole = caller.IsAdmin, Rating = body.Rating, Comment = body.Comment }, cancellationToken: cancellationToken);
        if (!answer.IsAnswered)
        {
            return CommandResults.NotYetAnswered(answer.MessageId);
        }

        return answer.Value!.Status == CommandStatus.Ok
            ? Results.Ok(new { accepted = true, viaFallback = answer.Value.ViaFallback })
            : CommandResults.Problem(answer.Value.Status, answer.Value.Error, caseId);
    }

    private static async Task<IResult> AskCaseCancelAsync(IGrainClient grains, string caseId, object message, CancellationToken cancellationToken)
    {
        var answer = await grains.AskAsync<CancelCaseResult>(GrainTypes.CaseId(caseId), message, cancellationToken: cancellationToken);
        if (!answer.IsAnswered)
        {
            return CommandResults.NotYetAnswered(answer.MessageId);
        }

        var result = answer.Value!;
        return result.Status switch
        {
            CommandStatus.Accepted => Results.Json(new { alreadyClosed = false, status = result.CaseStatus }, statusCode: StatusCodes.Status202Accepted),
            CommandStatus.Ok => Results.Ok(new { alreadyClosed = result.AlreadyClosed, status = result.CaseStatus }),
            _ => CommandResults.Problem(result.Status, result.Error, caseId),
        };
    }

    private static async Task<IResult> AskActivityCancelAsync(IGrainClient grains, string caseId, ImmutableArray<string> taskIds, string? reason, Caller caller, CancellationToken cancellationToken)
    {
        var message = new CancelActivity { TaskIds = taskIds, RequestedBy = caller.Principal, HasAdminRole = caller.IsAdmin, Reason = reason };
        var answer = await grains.AskAsync<CancelActivityResult>(GrainTypes.CaseId(caseId), message, cancellationToken: cancellationToken);
        if (!answer.IsAnswered)
        {
            return CommandResults.NotYetAnswered(answer.MessageId);
        }

        var result = answer.Value!;
        return result.Status switch
        {
            CommandStatus.Accepted => Results.Json(new { alreadyClosed = false, tasks = result.Tasks }, statusCode: StatusCodes.Status202Accepted),
            CommandStatus.Ok => Results.Ok(new { alreadyClosed = result.AlreadyClosed, tasks = result.Tasks }),
            _ => CommandResults.Problem(result.Status, result.Error, caseId, taskIds.Length == 1 ? taskIds[0] : null),
        };
    }

    internal static IResult? ReadOnly(IOptions<AuthOptions> auth) =>
        auth.Value.ReadOnly ? Problems.Result(StatusCodes.Status403Forbidden, ProblemCodes.ReadOnly, "This silo is read-only: it refuses writes.") : null;
}
