using System.Text.Json;

namespace Ripcord.Grains.Cases;

/// <summary>Builds the object a join or a multi-predecessor task receives: predecessor id to output.</summary>
internal static class JsonObjects
{
    public static JsonElement Keyed(IEnumerable<KeyValuePair<string, JsonElement?>> members)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in members)
            {
                writer.WritePropertyName(name);
                if (value is { } element)
                {
                    element.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
