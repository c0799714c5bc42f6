using System.Globalization;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>The options after the suite name: <c>--name value</c> pairs and <c>--flag</c> switches.</summary>
internal sealed class Arguments(string[] args)
{
    public IReadOnlyList<string> Raw => args;

    public int Int(string name, int fallback)
    {
        var value = Value(name);
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
            ? parsed
            : throw new ArgumentException($"{name} takes a whole number, not '{value}'.");
    }

    public bool Flag(string name) => args.Contains(name, StringComparer.Ordinal);

    public string? Value(string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
