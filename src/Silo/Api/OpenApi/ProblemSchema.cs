using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>The component schema of every problem-details body (RFC 9457 with the API's stable <c>code</c>).</summary>
internal static class ProblemSchema
{
    public const string Id = "Problem";

    public static OpenApiSchema Create() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. Clients switch on `code`, never on the text. Some codes add extensions: "
            + "`invalid_request` may name the JSON `path`, `invalid_definition` lists its `errors`.",
        Required = new HashSet<string> { "type", "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = "Identifies the problem type; one per code." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the problem type." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong with this request." },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable problem code (docs/api.md lists them)." },
        },
        AdditionalPropertiesAllowed = true,
    };
}
