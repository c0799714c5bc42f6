using Ripcord.Contracts;
using Ripcord.Silo.Api.OpenApi;

namespace Ripcord.Silo.Api;

/// <summary>The responses the case endpoints share, declared once for the OpenAPI document.</summary>
public static partial class CaseEndpoints
{
    /// <summary>The case grain decides who may administer the case; the key's role only lets the call reach it.</summary>
    private static RouteHandlerBuilder RequiresCaseRights(this RouteHandlerBuilder builder) =>
        builder.WithDescription("Needs rights on the case: the principal started it, is named in its admins, or is an admin.");

    /// <summary>A bad id or body, an unknown case, and for writes a read-only silo.</summary>
    private static RouteHandlerBuilder ProducesCaseProblems(this RouteHandlerBuilder builder, bool write = false)
    {
        builder.ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest)
            .ProducesProblemCodes(StatusCodes.Status404NotFound, ProblemCodes.CaseNotFound);
        return write ? builder.ProducesProblemCodes(StatusCodes.Status403Forbidden, ProblemCodes.ReadOnly) : builder;
    }

    /// <summary><c>202</c> when the cancel goes on, <c>200</c> when the case had already ended.</summary>
    private static RouteHandlerBuilder ProducesCancelAnswer(this RouteHandlerBuilder builder) =>
        builder.Produces<CaseCancelAnswer>(StatusCodes.Status202Accepted).Produces<CaseCancelAnswer>();

    /// <summary>Cancel Activity: <c>202</c> when a task was signalled, <c>200</c> when every task had ended; unknown tasks are a 404.</summary>
    private static RouteHandlerBuilder ProducesTaskCancelAnswer(this RouteHandlerBuilder builder) =>
        builder.Produces<TaskCancelAnswer>(StatusCodes.Status202Accepted).Produces<TaskCancelAnswer>()
            .ProducesCaseProblems(write: true).ProducesProblemCodes(StatusCodes.Status404NotFound, ProblemCodes.TaskNotFound);

    /// <summary>The case's status in a successful answer, which always carries it.</summary>
    private static CaseStatus StatusOf(CaseStatus? status) =>
        status ?? throw new InvalidOperationException("The case grain answered a successful command without the case's status.");
}
