using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>Adds each <see cref="JsonRequestBody"/> to its endpoint's API description as a JSON body parameter.</summary>
internal sealed class RequestBodyDescriptionProvider : IApiDescriptionProvider
{
    /// <summary>After the provider that describes minimal API endpoints.</summary>
    public int Order => 0;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            if (description.ActionDescriptor.EndpointMetadata.OfType<JsonRequestBody>().FirstOrDefault() is not { } body)
            {
                continue;
            }

            description.ParameterDescriptions.Add(new ApiParameterDescription
            {
                Name = "body",
                Source = BindingSource.Body,
                Type = body.Type,
                IsRequired = body.Required,
            });
            description.SupportedRequestFormats.Add(new ApiRequestFormat { MediaType = "application/json" });
        }
    }
}
