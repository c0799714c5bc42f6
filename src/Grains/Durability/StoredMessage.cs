using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains.Durability;

/// <summary>
/// A message kept in a grain's state (an outbox entry or a deadline): its type by the wire alias it carries, so a
/// renamed class still reads back, and its body as JSON.
/// </summary>
public sealed record StoredMessage(string Type, JsonElement Body)
{
    public static StoredMessage From(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        return new StoredMessage(MessageTypes.AliasOf(type), JsonSerializer.SerializeToElement(message, type, RipcordJson.Options));
    }

    public object ToMessage() =>
        Body.Deserialize(MessageTypes.TypeOf(Type), RipcordJson.Options)
        ?? throw new InvalidOperationException($"Stored message of type '{Type}' is null.");
}
