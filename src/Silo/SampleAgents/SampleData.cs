using System.Text.Json;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// Helpers the sample agents share: lenient reads of their JSON input (a demo should not fail on a missing field),
/// plausible numbers that stay the same for the same case, and the pacing of simulated work.
/// </summary>
internal static class SampleData
{
    public static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value, JsonSerializerOptions.Web);

    public static string Text(JsonElement? json, string property, string fallback) =>
        json is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : fallback;

    public static IReadOnlyList<string> Strings(JsonElement? json, string property)
    {
        if (json is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Where(s => s.Length > 0)];
    }

    public static JsonElement? Property(JsonElement? json, string property) =>
        json is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(property, out var value) ? value : null;

    /// <summary>A random source seeded from <paramref name="seed"/> (FNV-1a), so a case's numbers do not change between runs.</summary>
    public static Random RandomFor(string seed)
    {
        var hash = 2166136261u;
        foreach (var c in seed)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return new Random((int)hash);
    }

    /// <summary>One step of <paramref name="steps"/> in <paramref name="total"/>.</summary>
    public static TimeSpan Step(TimeSpan total, int steps) => total / Math.Max(1, steps);
}
