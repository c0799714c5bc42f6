using System.Text.Json.Nodes;

namespace Ripcord.Dashboard.Tests.Fake;

/// <summary>One write request the dashboard sent to the fake API.</summary>
public sealed record RecordedRequest(string Kind, string Path, string CaseId, string? TaskId, JsonObject Body, string Principal);
