using System.Text.Json;

namespace Ripcord.Contracts.Serialization;

/// <summary>Converts <see cref="JsonElement"/> to and from <see cref="JsonElementSurrogate"/> for Orleans' serializer.</summary>
[RegisterConverter]
public sealed class JsonElementSurrogateConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate) =>
        surrogate.Json is null ? default : JsonDocument.Parse(surrogate.Json).RootElement.Clone();

    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) =>
        new() { Json = value.ValueKind == JsonValueKind.Undefined ? null : value.GetRawText() };
}
