using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// A nullable <see cref="System.Text.Json.JsonElement"/> property comes out as <c>oneOf: [null, AnyValue]</c>, which a
/// null matches twice (any value includes null), so no null is valid. It is just <c>AnyValue</c>.
/// </summary>
internal sealed class AnyValueTransformer : IOpenApiDocumentTransformer
{
    public const string Id = "AnyValue";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            if (schema.Properties is not { } properties)
            {
                continue;
            }

            foreach (var (name, property) in properties.ToList())
            {
                if (property is OpenApiSchema { OneOf: [OpenApiSchema { Type: JsonSchemaType.Null }, OpenApiSchemaReference { Reference.Id: Id } any] })
                {
                    properties[name] = any;
                }
            }
        }

        return Task.CompletedTask;
    }
}
