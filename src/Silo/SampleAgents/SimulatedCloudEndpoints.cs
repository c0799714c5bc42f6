using Ripcord.Silo.Api;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// <c>/sim/cloud</c>: the simulated cloud the sample market researcher provisions VMs in. Unauthenticated on purpose:
/// the resource registry calls release webhooks without an API key, and these endpoints exist only while the sample
/// agents are on (a demo and test aid, never a production surface).
/// </summary>
public static class SimulatedCloudEndpoints
{
    public const string DefaultSize = "standard-4";
    private const int MaxLabels = 16;

    public static IEndpointRouteBuilder MapSimulatedCloud(this IEndpointRouteBuilder endpoints)
    {
        var cloud = endpoints.MapGroup("/sim/cloud").AllowAnonymous().WithTags("Simulated cloud");
        cloud.MapPost("/vms", CreateAsync).WithSummary("Creates a VM (state running).");
        cloud.MapGet("/vms", (SimulatedCloud vms) => Results.Ok(new { vms = vms.List() })).WithSummary("Lists the VMs, running and released.");
        cloud.MapGet("/vms/{id}", (string id, SimulatedCloud vms) => vms.Find(id) is { } vm ? Results.Ok(vm) : UnknownVm(id)).WithSummary("Reads one VM.");
        cloud.MapDelete("/vms/{id}", (string id, HttpRequest request, SimulatedCloud vms) =>
            vms.Release(id, request.Headers["X-Ripcord-Case"].FirstOrDefault()) is { } vm ? Results.Ok(vm) : UnknownVm(id))
            .WithSummary("Releases a VM; idempotent (releasing a released VM answers 200 again).");
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, SimulatedCloud vms, CancellationToken cancellationToken)
    {
        var body = new CreateVmRequest();
        if (request.ContentLength is not (0 or null) || request.Headers.ContentType.Count > 0)
        {
            var (read, error) = await JsonBody.ReadAsync<CreateVmRequest>(request, cancellationToken);
            if (error is not null)
            {
                return error;
            }

            body = read!;
        }

        var size = body.Size ?? DefaultSize;
        if (Validation.Fail(
                Validation.Id("size", size),
                body.Labels is { Count: > MaxLabels } ? $"labels may hold at most {MaxLabels} entries" : null,
                body.Labels?.Select(l => Validation.Id("labels key", l.Key) ?? (l.Value.Length > Validation.MaxIdLength ? $"label '{l.Key}' is longer than {Validation.MaxIdLength} characters" : null)).FirstOrDefault(f => f is not null)) is { } invalid)
        {
            return invalid;
        }

        var vm = vms.Create(size, body.Labels);
        return Results.Created($"/sim/cloud/vms/{vm.Id}", vm);
    }

    private static IResult UnknownVm(string id) => Problems.NotFound(ProblemCodes.NotFound, $"No VM '{id}' in the simulated cloud.");
}
