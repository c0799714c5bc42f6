using System.Text.Json;
using System.Text.Json.Serialization;
using Ripcord.Contracts;

namespace Ripcord.Grains.Durability;

/// <summary>
/// A message kept in a grain's state (an outbox entry or a deadline): its type by the wire alias it carries, so a
/// renamed class still reads back, and its body as JSON. The message a turn made stays at hand as the object it is
/// (it is written straight into the grain's record and handed to its receiver without a trip through JSON); one read
/// back from storage is decoded once, when it is first needed.
/// </summary>
[JsonConverter(typeof(StoredMessageConverter))]
public sealed class StoredMessage
{
    private object? _message;
    private readonly JsonElement _body;

    private StoredMessage(string type, object? message, JsonElement body)
    {
        Type = type;
        _message = message;
        _body = body;
    }

    /// <summary>The wire alias of the message's type (<see cref="MessageTypes"/>).</summary>
    public string Type { get; }

    public static StoredMessage From(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new StoredMessage(MessageTypes.AliasOf(message.GetType()), message, default);
    }

    internal static StoredMessage Read(string type, JsonElement body) => new(type, null, body);

    /// <summary>The message (messages are immutable: every caller may share the instance).</summary>
    public object ToMessage() =>
        _message ??= _body.Deserialize(MessageTypes.TypeOf(Type), RipcordJson.Options)
            ?? throw new InvalidOperationException($"Stored message of type '{Type}' is null.");

    internal void WriteBody(Utf8JsonWriter writer, JsonSerializerOptions options)
    {
        if (_message is { } message)
        {
            JsonSerializer.Serialize(writer, message, message.GetType(), options);
        }
        else
        {
            _body.WriteTo(writer);
        }
    }
}

/// <summary>Writes a <see cref="StoredMessage"/> as <c>{"type": alias, "body": message}</c> and reads it back.</summary>
internal sealed class StoredMessageConverter : JsonConverter<StoredMessage>
{
    public override StoredMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A stored message is a JSON object.");
        }

        string? type = null;
        JsonElement? body = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, "type", StringComparison.OrdinalIgnoreCase))
            {
                type = reader.GetString();
            }
            else if (string.Equals(name, "body", StringComparison.OrdinalIgnoreCase))
            {
                body = JsonElement.ParseValue(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return type is null || body is null
            ? throw new JsonException("A stored message needs a type and a body.")
            : StoredMessage.Read(type, body.Value);
    }

    public override void Write(Utf8JsonWriter writer, StoredMessage value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("type", value.Type);
        writer.WritePropertyName("body");
        value.WriteBody(writer, options);
        writer.WriteEndObject();
    }
}
