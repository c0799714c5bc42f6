using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>The OpenAPI document <c>/openapi/v1.json</c>: the <c>/api</c> endpoints, described from their code and metadata.</summary>
public static class OpenApiServiceCollectionExtensions
{
    public static IServiceCollection AddRipcordOpenApi(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, RequestBodyDescriptionProvider>());
        return services.AddOpenApi("v1", options =>
        {
            // The Orleans dashboard, the sample agents' simulated cloud and the health probes are not part of the API.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.CreateSchemaReferenceId = type => (Nullable.GetUnderlyingType(type.Type) ?? type.Type) == typeof(System.Text.Json.JsonElement)
                ? AnyValueTransformer.Id
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddSchemaTransformer<SchemaTransformer>();
            options.AddDocumentTransformer<DocumentTransformer>();
            options.AddDocumentTransformer<AnyValueTransformer>();
            options.AddOperationTransformer<RolesTransformer>();
            options.AddOperationTransformer<ProblemResponsesTransformer>();
            options.AddOperationTransformer<ServerSentEventsTransformer>();
            options.AddOperationTransformer<QueryParameterTypesTransformer>();
            options.AddOperationTransformer<ExamplesTransformer>();
        });
    }
}
