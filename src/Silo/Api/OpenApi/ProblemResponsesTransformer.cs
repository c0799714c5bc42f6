using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// Adds each operation's problem responses: <c>401 unauthenticated</c> and <c>403 forbidden</c> where the endpoint
/// requires authorization (and a role), and every <see cref="ProblemResponse"/> the endpoint declares, one response
/// per status whose <c>code</c> is an enum of the codes it can carry.
/// </summary>
internal sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var problems = metadata.OfType<ProblemResponse>().ToList();
        var authorization = metadata.OfType<IAuthorizeData>().ToList();
        if (authorization.Count > 0)
        {
            problems.Add(new ProblemResponse(StatusCodes.Status401Unauthorized, [ProblemCodes.Unauthenticated]));
        }

        if (authorization.Any(a => a.Policy is not null || a.Roles is not null))
        {
            problems.Add(new ProblemResponse(StatusCodes.Status403Forbidden, [ProblemCodes.Forbidden]));
        }

        operation.Responses ??= [];
        foreach (var group in problems.GroupBy(p => p.Status).OrderBy(g => g.Key))
        {
            var codes = group.SelectMany(p => p.Codes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            operation.Responses[group.Key.ToString(CultureInfo.InvariantCulture)] = Response(codes, context.Document!);
        }

        return Task.CompletedTask;
    }

    private static OpenApiResponse Response(IReadOnlyList<string> codes, OpenApiDocument document) => new()
    {
        Description = string.Join(" ", codes.Select(c => $"`{c}`: {Problems.Title(c)}")),
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new()
            {
                Schema = new OpenApiSchema
                {
                    AllOf =
                    [
                        new OpenApiSchemaReference(ProblemSchema.Id, document),
                        new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "code" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. codes.Select(c => (JsonNode)JsonValue.Create(c))] },
                            },
                        },
                    ],
                },
            },
        },
    };
}
