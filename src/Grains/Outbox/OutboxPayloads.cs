using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains.Outbox;

/// <summary>Reads an outbox payload: the object itself (in-memory store) or its JSON (a store that serialized it).</summary>
internal static class OutboxPayloads
{
    public static T? As<T>(object payload)
        where T : class => payload switch
        {
            T typed => typed,
            JsonElement json => json.Deserialize<T>(RipcordJson.Options),
            _ => null,
        };
}
