using System.Security.Claims;
using Microsoft.Extensions.Options;
using Ripcord.Silo.Api.OpenApi;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>Maps the <c>/api/v1</c> endpoints of API.md.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapRipcordApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization()
            .AddEndpointFilter<GrainCallFailureFilter>().ProducesProblemCodes(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable);

        api.MapGet("/me", (ClaimsPrincipal user, IOptions<AuthOptions> auth) => Results.Ok(new MeResponse(
            user.Identity?.Name ?? "",
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(),
            auth.Value.ReadOnly)))
            .WithName("GetMe")
            .WithTags("Operations")
            .WithSummary("The caller's principal and roles, and whether the silo is read-only.")
            .Produces<MeResponse>();

        api.MapCaseEndpoints();
        api.MapProcessEndpoints();
        api.MapAgentEndpoints();
        api.MapOperationsEndpoints();

        // Anything else under /api answers with a problem, not an empty 404.
        endpoints.Map("/api/{**rest}", () => Problems.NotFound(ProblemCodes.NotFound, "No such endpoint.")).ExcludeFromDescription();
        return endpoints;
    }
}
