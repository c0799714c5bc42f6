using System.Text.Json;

namespace Ripcord.Deploy.Tests.Cluster;

/// <summary>Reads the parts of a case document (GET /api/v1/cases/{caseId}, API.md) the smoke test checks.</summary>
public static class CaseView
{
    public static string Status(JsonElement @case) => Text(@case, "status") ?? "";

    public static string? TaskStatus(JsonElement @case, string taskId) => Task(@case, taskId) is { } task ? Text(task, "status") : null;

    public static JsonElement? Task(JsonElement @case, string taskId) =>
        Items(@case, "tasks").Cast<JsonElement?>().FirstOrDefault(t => Text(t!.Value, "taskId") == taskId);

    public static IReadOnlyList<JsonElement> Tasks(JsonElement @case) => Items(@case, "tasks");

    public static IReadOnlyList<JsonElement> Resources(JsonElement @case) => Items(@case, "resources");

    public static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool HasValue(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    private static IReadOnlyList<JsonElement> Items(JsonElement @case, string property) =>
        @case.ValueKind == JsonValueKind.Object && @case.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array ? [.. items.EnumerateArray()] : [];
}
