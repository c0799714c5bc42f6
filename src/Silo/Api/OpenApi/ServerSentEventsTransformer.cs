using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// Describes a streaming endpoint's <c>200</c> as <c>text/event-stream</c>: the schema is one event, whose
/// <c>event</c> is the declared name and whose <c>data</c> (JSON) is the declared type, a component schema.
/// </summary>
internal sealed class ServerSentEventsTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ServerSentEventsResponse>().FirstOrDefault() is not { } stream)
        {
            return;
        }

        var document = context.Document!;
        var id = stream.DataType.Name;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
        {
            document.AddComponent<IOpenApiSchema>(id, await context.GetOrCreateSchemaAsync(stream.DataType, null, cancellationToken));
        }

        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = $"A stream of server-sent events `{stream.EventName}`, each `data:` a JSON `{id}`. An event with an `id:` can be "
                + "resumed after (send it back as `Last-Event-ID`); lines starting with `:` keep the connection open.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "One event of the stream.",
                        Required = new HashSet<string> { "event", "data" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The event's position, on streams that can resume." },
                            ["event"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(stream.EventName)] },
                            ["data"] = new OpenApiSchemaReference(id, document),
                        },
                    },
                },
            },
        };
    }
}
