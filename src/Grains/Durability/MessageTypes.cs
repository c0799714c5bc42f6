using System.Collections.Frozen;
using System.Reflection;
using Ripcord.Contracts;

namespace Ripcord.Grains.Durability;

/// <summary>The wire aliases of every message type a grain may keep in its state, read once from their <c>[Alias]</c>.</summary>
public static class MessageTypes
{
    private static readonly FrozenDictionary<string, Type> ByAlias;
    private static readonly FrozenDictionary<Type, string> ByType;

    static MessageTypes()
    {
        var pairs = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var assembly in new[] { typeof(Mail).Assembly, typeof(MessageTypes).Assembly })
        {
            foreach (var type in assembly.GetTypes())
            {
                if (type.IsClass && type.GetCustomAttribute<AliasAttribute>() is { } alias && type.GetCustomAttribute<GenerateSerializerAttribute>() is not null)
                {
                    pairs.Add(alias.Alias, type);
                }
            }
        }

        ByAlias = pairs.ToFrozenDictionary(StringComparer.Ordinal);
        ByType = pairs.ToFrozenDictionary(p => p.Value, p => p.Key);
    }

    public static string AliasOf(Type type) =>
        ByType.TryGetValue(type, out var alias) ? alias : throw new InvalidOperationException($"{type.Name} has no [Alias] and [GenerateSerializer]: it cannot be kept in a grain's state.");

    public static Type TypeOf(string alias) =>
        ByAlias.TryGetValue(alias, out var type) ? type : throw new InvalidOperationException($"No message type has the alias '{alias}'.");
}
