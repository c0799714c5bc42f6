using System.Collections.Concurrent;
using System.Reflection;

namespace Ripcord.Runtime.Storage.Postgres;

/// <summary>
/// Maps CLR types to the stable names stored next to their JSON (<c>Namespace.Type, Assembly</c>, without version)
/// and back. Both directions are cached. Register an alias to keep reading rows written before a type was renamed.
/// </summary>
public sealed class StoredTypeNames
{
    private readonly ConcurrentDictionary<Type, string> _names = new();
    private readonly ConcurrentDictionary<string, Type> _types = new(StringComparer.Ordinal);

    /// <summary>Stores <paramref name="type"/> under <paramref name="name"/> and reads rows with that name as it.</summary>
    public StoredTypeNames Register(Type type, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _names[type] = name;
        _types[name] = type;
        return this;
    }

    /// <summary>Reads rows stored under <paramref name="name"/> as <paramref name="type"/> (an old name of a renamed type).</summary>
    public StoredTypeNames RegisterAlias(string name, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _types[name] = type;
        return this;
    }

    public string NameOf(Type type) => _names.GetOrAdd(type, static t => DefaultName(t));

    public Type Resolve(string name)
    {
        if (_types.TryGetValue(name, out var type))
        {
            return type;
        }

        type = Load(name) ?? throw new InvalidOperationException($"Stored type '{name}' cannot be loaded; register it or an alias with StoredTypeNames.");
        _types.TryAdd(name, type);
        return type;
    }

    private static string DefaultName(Type type)
    {
        if (type.FullName is null)
        {
            throw new InvalidOperationException($"Type {type} has no full name and cannot be stored.");
        }

        return type.FullName + ", " + type.Assembly.GetName().Name;
    }

    private static Type? Load(string name)
    {
        var type = Type.GetType(name, throwOnError: false);
        if (type is not null)
        {
            return type;
        }

        // Assemblies loaded into a non-default context are not found by name; look among those already loaded.
        var comma = name.IndexOf(", ", StringComparison.Ordinal);
        if (comma < 0 || name.Contains('[', StringComparison.Ordinal))
        {
            return null;
        }

        var typeName = name[..comma];
        var assemblyName = name[(comma + 2)..];
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (string.Equals(assembly.GetName().Name, assemblyName, StringComparison.Ordinal)
                && assembly.GetType(typeName, throwOnError: false) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
