using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ripcord.Client.Models;

/// <summary>
/// Reads and writes an enum as its snake_case name. A value the client does not know yet maps to the
/// enum's default member rather than throwing, because the API may grow new values within version 1.
/// </summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
internal sealed class SnakeCaseEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for {typeof(TEnum).Name}, got {reader.TokenType}.");
        }

        var text = reader.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return default;
        }

        return Enum.TryParse<TEnum>(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var value)
            ? value
            : default;
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        writer.WriteStringValue(ToWireName(value));
    }

    /// <summary>The snake_case name the API uses for <paramref name="value"/>.</summary>
    public static string ToWireName(TEnum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
