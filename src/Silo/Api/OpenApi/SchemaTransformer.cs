using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// Enums as enums: the API's enums (written by their names) are string enums; an enum written as its number
/// lists its values and says which name each stands for. A <see cref="JsonElement"/> is any JSON value.
/// </summary>
internal sealed class SchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type == typeof(JsonElement))
        {
            schema.Description = "Any JSON value.";
        }
        else if (type.IsEnum && schema.Enum is { Count: > 0 })
        {
            schema.Type = JsonSchemaType.String;
        }
        else if (type.IsEnum)
        {
            var values = Enum.GetValues(type).Cast<object>().Select(v => (Name: v.ToString()!, Number: Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))).ToList();
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v.Number))];
            schema.Description = string.Join(", ", values.Select(v => $"{v.Number}: {v.Name}"));
        }

        return Task.CompletedTask;
    }
}
