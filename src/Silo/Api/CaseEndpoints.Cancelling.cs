using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Grains;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>Every way of cancelling a case or its tasks, confirming or overriding a hold, and rating an output.</summary>
public static partial class CaseEndpoints
{
    private static Task<IResult> CancelAsync(string caseId, HttpRequest request, ClaimsPrincipal user, GrainReferences grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken) =>
        CommandAsync<CancelCaseRequest>(
            request,
            auth,
            JsonBody.ReadOptionalAsync<CancelCaseRequest>,
            body => Validation.Fail(
                Validation.Id("caseId", caseId),
                Validation.Reason(body.Reason),
                Validation.Seconds("gracePeriodSeconds", body.GracePeriodSeconds),
                Validation.Seconds("holdSeconds", body.HoldSeconds)),
            async body =>
            {
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
                return CancelResult(await grains.Case(caseId).Cancel(message), caseId);
            },
            cancellationToken);

    private static async Task<IResult> ConfirmAsync(string caseId, ClaimsPrincipal user, GrainReferences grains, IOptions<AuthOptions> auth)
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
        return CancelResult(await grains.Case(caseId).ConfirmCancel(new ConfirmCancel { RequestedBy = caller.Principal, HasAdminRole = caller.IsAdmin }), caseId);
    }

    private static Task<IResult> OverrideAsync(string caseId, HttpRequest request, ClaimsPrincipal user, GrainReferences grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken) =>
        CommandAsync<ReasonRequest>(
            request,
            auth,
            JsonBody.ReadOptionalAsync<ReasonRequest>,
            body => Validation.Fail(Validation.Id("caseId", caseId), Validation.Reason(body.Reason)),
            async body =>
            {
                var caller = Caller.From(user);
                return CancelResult(await grains.Case(caseId).OverrideCancel(new OverrideCancel { RequestedBy = caller.Principal, HasAdminRole = caller.IsAdmin, Reason = body.Reason }), caseId);
            },
            cancellationToken);

    private static Task<IResult> CancelTaskAsync(string caseId, string taskId, HttpRequest request, ClaimsPrincipal user, GrainReferences grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken) =>
        CommandAsync<ReasonRequest>(
            request,
            auth,
            JsonBody.ReadOptionalAsync<ReasonRequest>,
            body => Validation.Fail(Validation.Id("caseId", caseId), Validation.Id("taskId", taskId), Validation.Reason(body.Reason)),
            body => CancelActivityAsync(grains, caseId, [taskId], body.Reason, Caller.From(user)),
            cancellationToken);

    private static Task<IResult> CancelTasksAsync(string caseId, HttpRequest request, ClaimsPrincipal user, GrainReferences grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken) =>
        CommandAsync<CancelTasksRequest>(
            request,
            auth,
            JsonBody.ReadAsync<CancelTasksRequest>,
            body => Validation.Fail(
                Validation.Id("caseId", caseId),
                body.TaskIds.Length == 0 ? "taskIds must name at least one task" : null,
                body.TaskIds.Length > 1000 ? "taskIds may name at most 1000 tasks" : null,
                body.TaskIds.Select(t => Validation.Id("taskIds[]", t)).FirstOrDefault(f => f is not null),
                Validation.Reason(body.Reason)),
            body => CancelActivityAsync(grains, caseId, [.. body.TaskIds.Distinct(StringComparer.Ordinal)], body.Reason, Caller.From(user)),
            cancellationToken);

    private static Task<IResult> RateAsync(string caseId, HttpRequest request, ClaimsPrincipal user, GrainReferences grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken) =>
        CommandAsync<RateOutputRequest>(
            request,
            auth,
            JsonBody.ReadAsync<RateOutputRequest>,
            body => Validation.Fail(
                Validation.Id("caseId", caseId),
                body.Rating is < 1 or > 5 ? "rating must be a whole number from 1 to 5" : null,
                Validation.Reason(body.Comment)),
            async body =>
            {
                var caller = Caller.From(user);
                var result = await grains.Case(caseId).Rate(new RateOutput { RatedBy = caller.Principal, HasAdminRole = caller.IsAdmin, Rating = body.Rating, Comment = body.Comment });
                return result.Status == CommandStatus.Ok
                    ? Results.Ok(new RatingAnswer(true, result.ViaFallback))
                    : CommandResults.Problem(result.Status, result.Error, caseId);
            },
            cancellationToken);

    private static IResult CancelResult(CancelCaseResult result, string caseId) => result.Status switch
    {
        CommandStatus.Accepted => Results.Json(new CaseCancelAnswer(false, StatusOf(result.CaseStatus)), statusCode: StatusCodes.Status202Accepted),
        CommandStatus.Ok => Results.Ok(new CaseCancelAnswer(result.AlreadyClosed, StatusOf(result.CaseStatus))),
        _ => CommandResults.Problem(result.Status, result.Error, caseId),
    };

    private static async Task<IResult> CancelActivityAsync(GrainReferences grains, string caseId, ImmutableArray<string> taskIds, string? reason, Caller caller)
    {
        var message = new CancelActivity { TaskIds = taskIds, RequestedBy = caller.Principal, HasAdminRole = caller.IsAdmin, Reason = reason };
        var result = await grains.Case(caseId).CancelActivity(message);
        return result.Status switch
        {
            CommandStatus.Accepted => Results.Json(new TaskCancelAnswer(false, result.Tasks), statusCode: StatusCodes.Status202Accepted),
            CommandStatus.Ok => Results.Ok(new TaskCancelAnswer(result.AlreadyClosed, result.Tasks)),
            _ => CommandResults.Problem(result.Status, result.Error, caseId, taskIds.Length == 1 ? taskIds[0] : null),
        };
    }

    internal static IResult? ReadOnly(IOptions<AuthOptions> auth) =>
        auth.Value.ReadOnly ? Problems.Result(StatusCodes.Status403Forbidden, ProblemCodes.ReadOnly, "This silo is read-only: it refuses writes.") : null;
}
