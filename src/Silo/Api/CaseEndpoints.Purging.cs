using System.Security.Claims;
using Microsoft.Extensions.Options;
using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Grains;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>Data minimization: an administrator erases an ended case's payloads without waiting for its retention period.</summary>
public static partial class CaseEndpoints
{
    private static Task<IResult> PurgeAsync(string caseId, HttpRequest request, ClaimsPrincipal user, GrainReferences grains, IOptions<AuthOptions> auth, CancellationToken cancellationToken) =>
        CommandAsync<ReasonRequest>(
            request,
            auth,
            JsonBody.ReadOptionalAsync<ReasonRequest>,
            body => Validation.Fail(Validation.Id("caseId", caseId), Validation.Reason(body.Reason)),
            async body =>
            {
                var result = await grains.Case(caseId).Purge(new PurgeCase { RequestedBy = Caller.From(user).Principal, Reason = body.Reason });
                return result.Status == CommandStatus.Accepted
                    ? Results.Json(new CaseRedacted(result.RedactedAt ?? throw Unanswered(), result.RedactedBy ?? throw Unanswered()), statusCode: StatusCodes.Status202Accepted)
                    : CommandResults.Problem(result.Status, result.Error, caseId);
            },
            cancellationToken);

    private static InvalidOperationException Unanswered() => new("The case grain accepted a purge without saying when and by whom.");
}
