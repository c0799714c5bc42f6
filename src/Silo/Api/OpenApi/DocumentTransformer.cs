using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// The document-wide parts: title and description, a server relative to wherever the document was fetched from
/// (so the document is the same on every silo), the tags, the problem schema, and the Bearer API-key scheme
/// required by every <c>/api</c> operation.
/// </summary>
internal sealed class DocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SecuritySchemeId = "apiKey";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Cases", "Start, read, list and watch cases, and every way of cancelling them."),
        ("Processes", "Process definitions: the graphs cases run."),
        ("Agents", "The agent protocol (role agent): claim tasks, heartbeat, report, register resources."),
        ("Operations", "Metrics, the cluster, the cluster-wide change stream, and who the caller is."),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Ripcord HTTP API",
            Version = "1",
            Description = "Cases, cancellation and the agent protocol of a Ripcord cluster. Every `/api` call carries "
                + "`Authorization: Bearer <api key>`; errors are RFC 9457 problem details with a stable `code`.",
        };
        document.Servers = [new OpenApiServer { Url = "/", Description = "The silo that serves this document." }];
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema.Id] = ProblemSchema.Create();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [SecuritySchemeId] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "API key",
                Description = "An API key from `Ripcord:Auth:ApiKeys`; its roles (viewer, operator, admin, agent) decide what it may call.",
            },
        };

        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeId, document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security = [requirement];
            }
        }

        return Task.CompletedTask;
    }
}
