using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ripcord.Client;

/// <summary>The JSON settings of the wire format: camelCase, nulls left out, enums as snake_case strings.</summary>
internal static class RipcordJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
