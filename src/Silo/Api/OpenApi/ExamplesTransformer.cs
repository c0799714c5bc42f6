using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>Writes each declared <see cref="OpenApiExample"/> into the JSON media type of its request body or response.</summary>
internal sealed class ExamplesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var example in context.Description.ActionDescriptor.EndpointMetadata.OfType<OpenApiExample>())
        {
            var content = example.Status is { } status
                ? operation.Responses?[status.ToString(CultureInfo.InvariantCulture)].Content
                : operation.RequestBody?.Content;
            if (content?.TryGetValue("application/json", out var media) != true)
            {
                throw new InvalidOperationException($"{context.Description.RelativePath}: an example for {example.Status?.ToString(CultureInfo.InvariantCulture) ?? "the request"}, which has no JSON body.");
            }

            media!.Example = JsonSerializer.SerializeToNode(example.Value, example.Value.GetType(), ApiJson.Options);
        }

        return Task.CompletedTask;
    }
}
