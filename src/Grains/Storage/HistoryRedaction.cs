using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ripcord.Contracts;

namespace Ripcord.Grains.Storage;

/// <summary>
/// What redacting a case's history does to an event: who, when, why, type and task stay; each payload field of its
/// detail (input, output, checkpoint, progress, resource release and kind, and the audit snapshot unless kept)
/// becomes <c>{"redacted": true, "bytes": n}</c>, n the size of its JSON text. Applying it twice changes nothing.
/// The PostgreSQL store applies the same rule in SQL (<c>ripcord_redact</c>).
/// </summary>
public static class HistoryRedaction
{
    public const string SnapshotField = "snapshot";

    /// <summary>The detail fields that carry payloads, the audit snapshot aside.</summary>
    public static readonly FrozenSet<string> PayloadFields = FrozenSet.Create(StringComparer.Ordinal, "input", "output", "checkpoint", "progress", "release", "kind");

    public static HistoryEvent Apply(HistoryEvent historyEvent, bool keepSnapshots)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        if (historyEvent.Detail is not { ValueKind: JsonValueKind.Object } detail)
        {
            return historyEvent;
        }

        JsonObject? redacted = null;
        foreach (var property in detail.EnumerateObject())
        {
            if (IsPayload(property.Name, keepSnapshots) && property.Value.ValueKind != JsonValueKind.Null && !IsRedacted(property.Value))
            {
                redacted ??= JsonObject.Create(detail)!;
                redacted[property.Name] = new JsonObject { ["redacted"] = true, ["bytes"] = Encoding.UTF8.GetByteCount(property.Value.GetRawText()) };
            }
        }

        return redacted is null ? historyEvent : historyEvent with { Detail = JsonSerializer.SerializeToElement(redacted) };
    }

    private static bool IsPayload(string field, bool keepSnapshots) => PayloadFields.Contains(field) || (!keepSnapshots && field == SnapshotField);

    private static bool IsRedacted(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("redacted", out var flag) && flag.ValueKind == JsonValueKind.True;
}
