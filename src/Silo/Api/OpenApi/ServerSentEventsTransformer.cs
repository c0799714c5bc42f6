using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// Describes a streaming endpoint's <c>200</c> as <c>text/event-stream</c>: the schema is one event, whose
/// <c>event</c> is a declared name and whose <c>data</c> (JSON) is that name's type, a component schema; a stream
/// of several kinds of event is one of them.
/// </summary>
internal sealed class ServerSentEventsTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var streams = context.Description.ActionDescriptor.EndpointMetadata.OfType<ServerSentEventsResponse>().ToList();
        if (streams.Count == 0)
        {
            return;
        }

        var events = new List<IOpenApiSchema>();
        foreach (var stream in streams)
        {
            events.Add(Event(stream.EventName, await SchemaComponents.ReferenceAsync(stream.DataType, context, cancellationToken)));
        }

        var names = string.Join(", ", streams.Select(s => $"`{s.EventName}` (data: `{s.DataType.Name}`)"));
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = $"A stream of server-sent events: {names}, each `data:` JSON. An event with an `id:` can be resumed after "
                + "(send it back as `Last-Event-ID`); lines starting with `:` keep the connection open.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new() { Schema = events.Count == 1 ? events[0] : new OpenApiSchema { OneOf = events } },
            },
        };
    }

    private static OpenApiSchema Event(string name, OpenApiSchemaReference data) => new()
    {
        Type = JsonSchemaType.Object,
        Description = $"One `{name}` event of the stream.",
        Required = new HashSet<string> { "event", "data" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The event's position, on streams that can resume." },
            ["event"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(name)] },
            ["data"] = data,
        },
    };
}
