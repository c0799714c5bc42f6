using System.Text.Json;

namespace Ripcord.Client.Tests.Fakes;

/// <summary>One request the fake server received.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    string? Authorization,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> RouteValues,
    string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Route(string name) => RouteValues[name];

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
