using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>Gives each query parameter named by a <see cref="QueryParameterType"/> the component schema of its type.</summary>
internal sealed class QueryParameterTypesTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var declared in context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryParameterType>())
        {
            var parameter = operation.Parameters?.OfType<OpenApiParameter>().SingleOrDefault(p => p.In == ParameterLocation.Query && p.Name == declared.Name)
                ?? throw new InvalidOperationException($"{context.Description.RelativePath} has no query parameter '{declared.Name}'.");
            parameter.Schema = await SchemaComponents.ReferenceAsync(declared.Type, context, cancellationToken);
        }
    }
}
