using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Ripcord.Deploy.Tests.Yaml;

/// <summary>
/// Reads YAML into plain values: a mapping becomes a <see cref="Dictionary{TKey,TValue}"/> with string keys, a
/// sequence a <see cref="List{T}"/>, a scalar its text (no type guessing: <c>"8080"</c> and <c>8080</c> both read
/// as the string 8080). Merge keys (<c>&lt;&lt;: *anchor</c>) are applied, as compose applies them.
/// </summary>
public static class YamlDocuments
{
    public static IReadOnlyList<object?> Parse(string text)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new MergingParser(new Parser(new StringReader(text)));
        parser.Consume<StreamStart>();
        var documents = new List<object?>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = Normalize(deserializer.Deserialize<object?>(parser));
            if (document is not null)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    public static object? ParseSingle(string text)
    {
        var documents = Parse(text);
        return documents.Count == 1 ? documents[0] : throw new InvalidOperationException($"Expected one YAML document, found {documents.Count}.");
    }

    /// <summary>The mapping at <paramref name="path"/> (keys separated by '.'), or null when a step is missing.</summary>
    public static Dictionary<string, object?>? Map(object? node, string path = "") => Walk(node, path) as Dictionary<string, object?>;

    /// <summary>The sequence at <paramref name="path"/>, or an empty one when missing.</summary>
    public static IReadOnlyList<object?> List(object? node, string path = "") => Walk(node, path) as List<object?> ?? [];

    /// <summary>The scalar at <paramref name="path"/>, or null when missing.</summary>
    public static string? Scalar(object? node, string path) => Walk(node, path) as string;

    private static object? Walk(object? node, string path)
    {
        if (path.Length == 0)
        {
            return node;
        }

        foreach (var step in path.Split('.'))
        {
            if (node is not Dictionary<string, object?> map || !map.TryGetValue(step, out node))
            {
                return null;
            }
        }

        return node;
    }

    private static object? Normalize(object? value) => value switch
    {
        IDictionary<object, object?> map => map.ToDictionary(e => Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", e => Normalize(e.Value), StringComparer.Ordinal),
        IList<object?> list => list.Select(Normalize).ToList(),
        null => null,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
