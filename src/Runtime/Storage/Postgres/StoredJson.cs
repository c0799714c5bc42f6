using System.Text.Json;

namespace Ripcord.Runtime.Storage.Postgres;

/// <summary>Turns states, bodies, replies and payloads into (jsonb text, type name) and back.</summary>
internal sealed class StoredJson(StoredTypeNames names, JsonSerializerOptions options)
{
    public static JsonSerializerOptions DefaultOptions() => new(JsonSerializerDefaults.General)
    {
        // jsonb reorders object keys, so "$type" need not come first when a polymorphic value is read back.
        AllowOutOfOrderMetadataProperties = true,
    };

    public StoredTypeNames Names { get; } = names;

    public string TypeOf(object value) => Names.NameOf(value.GetType());

    public string Write(object value) => JsonSerializer.Serialize(value, value.GetType(), options);

    public object Read(string json, string typeName)
    {
        var type = Names.Resolve(typeName);
        return JsonSerializer.Deserialize(json, type, options)
            ?? throw new InvalidOperationException($"Stored {typeName} deserialized to null.");
    }
}
