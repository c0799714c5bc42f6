using Microsoft.Extensions.Options;
using Ripcord.Contracts;
using Ripcord.Contracts.Processes;
using Ripcord.Grains.Processes;
using Ripcord.Silo.Api.OpenApi;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>Process definitions: list, read, register or replace (API.md "Process definitions").</summary>
public static class ProcessEndpoints
{
    public static RouteGroupBuilder MapProcessEndpoints(this RouteGroupBuilder api)
    {
        var processes = api.MapGroup("/processes").WithTags("Processes");
        processes.MapGet("", async (IProcessDefinitionRepository repository, CancellationToken cancellationToken) =>
            Results.Ok(new ProcessList(await repository.ListAsync(cancellationToken))))
            .RequireAuthorization(Roles.ReadPolicy).WithName("ListProcesses").WithSummary("Lists the registered process definitions.").Produces<ProcessList>();
        processes.MapGet("/{name}", async (string name, IProcessDefinitionRepository repository, CancellationToken cancellationToken) =>
            await repository.FindAsync(name, cancellationToken) is { } definition
                ? Results.Ok(definition)
                : Problems.NotFound(ProblemCodes.ProcessNotFound, $"No process '{name}' is registered."))
            .RequireAuthorization(Roles.ReadPolicy).WithName("GetProcess").WithSummary("Reads one process definition.")
            .Produces<ProcessDefinition>().ProducesProblemCodes(StatusCodes.Status404NotFound, ProblemCodes.ProcessNotFound).WithResponseExample(StatusCodes.Status200OK, ApiExamples.Report);
        processes.MapPut("/{name}", PutAsync).RequireAuthorization(Roles.AdminPolicy).WithName("PutProcess").WithSummary("Registers or replaces a process definition.")
            .AcceptsJson<ProcessDefinition>().Produces<ProcessRegistration>()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, ProblemCodes.InvalidDefinition)
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, ProblemCodes.ReadOnly).WithRequestExample(ApiExamples.Report);
        return processes;
    }

    private static async Task<IResult> PutAsync(string name, HttpRequest request, IProcessDefinitionRepository repository, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (CaseEndpoints.ReadOnly(auth) is { } refused)
        {
            return refused;
        }

        if (Validation.Fail(Validation.Id("name", name)) is { } invalid)
        {
            return invalid;
        }

        var limit = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && request.ContentLength > max)
        {
            return Problems.BadRequest($"The request body is larger than the limit of {max} bytes.");
        }

        string json;
        try
        {
            using var reader = new StreamReader(request.Body);
            json = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.BadRequest($"The request body is larger than the limit of {limit} bytes.");
        }

        var parsed = ProcessDefinitionParser.Parse(json);
        if (!parsed.IsValid)
        {
            return DefinitionProblem(parsed.Errors);
        }

        var definition = parsed.Definition;
        if (definition.Name != name)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, ProblemCodes.InvalidDefinition, $"The definition is named '{definition.Name}' but was PUT as '{name}'.");
        }

        try
        {
            var registration = await repository.RegisterAsync(definition, cancellationToken);
            return Results.Ok(registration);
        }
        catch (InvalidProcessDefinitionException e)
        {
            return DefinitionProblem(e.Errors);
        }
    }

    private static IResult DefinitionProblem(IReadOnlyList<DefinitionError> errors) =>
        Problems.Result(
            StatusCodes.Status400BadRequest,
            ProblemCodes.InvalidDefinition,
            string.Join("; ", errors.Select(e => e.Message)),
            new Dictionary<string, object?> { ["errors"] = errors });
}
