using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ripcord.Silo.Tests.Api;

/// <summary>Raw HTTP calls to a running silo, with the body as text so tests can send malformed JSON.</summary>
public static class ApiCall
{
    public static async Task<Reply> SendAsync(this RunningSilo silo, HttpMethod method, string path, string? key, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await silo.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
        {
            json = JsonDocument.Parse(text).RootElement.Clone();
        }

        return new Reply(response.StatusCode, json, text);
    }

    public static Task<Reply> GetAsync(this RunningSilo silo, string path, string key) => silo.SendAsync(HttpMethod.Get, path, key);

    public static Task<Reply> PostAsync(this RunningSilo silo, string path, string key, object? body) =>
        silo.SendAsync(HttpMethod.Post, path, key, body is null ? null : body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

    public static async Task<string> StartCaseAsync(this RunningSilo silo, string process, string? caseId = null, object? input = null, string key = TestKeys.Operator, object? cancel = null, string[]? admins = null)
    {
        var reply = await silo.PostAsync("/api/v1/cases", key, new { process, caseId, input = input ?? new { topic = "solar" }, cancel, admins });
        Assert.True(reply.Status == HttpStatusCode.Created, $"start answered {reply.Status}: {reply.Text}");
        return reply.Json!.Value.GetProperty("caseId").GetString()!;
    }

    /// <summary>
    /// Registers a copy of the seed <c>report</c> process whose agent types carry <paramref name="suffix"/>, so that a
    /// test's agents claim only its own tasks on a silo other tests share. The generator's checkpoint wait is long by
    /// default, so that a test's acknowledgement always comes first.
    /// </summary>
    public static async Task<string> RegisterReportAsync(this RunningSilo silo, string suffix, int ackTimeoutSeconds = 30, double checkpointWaitSeconds = 600)
    {
        var wait = checkpointWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var name = "report-" + suffix;
        var definition = $$"""
            {
              "name": "{{name}}",
              "nodes": [
                { "id": "generate", "agent": "report-generator-{{suffix}}", "timeoutSeconds": 600, "onCancel": "summary", "checkpointWaitSeconds": {{wait}} },
                { "id": "summary", "agent": "quick-summary-{{suffix}}" },
                { "id": "deliver", "join": "first" }
              ],
              "edges": [ ["generate", "deliver"], ["summary", "deliver"] ],
              "cancel": { "ackTimeoutSeconds": {{ackTimeoutSeconds}}, "gracePeriodSeconds": 60, "holdSeconds": 0 }
            }
            """;
        var reply = await silo.SendAsync(HttpMethod.Put, "/api/v1/processes/" + name, TestKeys.Admin, definition);
        Assert.True(reply.Status == HttpStatusCode.OK, $"registering {name} answered {reply.Status}: {reply.Text}");
        return name;
    }

    /// <summary>Reads the case's view after each of its history events (from its event stream) until <paramref name="done"/> holds.</summary>
    public static async Task<JsonElement> WaitForViewAsync(this RunningSilo silo, string caseId, Func<JsonElement, bool> done)
    {
        await using var events = await SseStream.OpenAsync(silo.Http, $"/api/v1/cases/{caseId}/events", TestKeys.Viewer);
        while (true)
        {
            var view = (await silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
            if (done(view))
            {
                return view;
            }

            await events.NextAsync("history");
        }
    }

    public sealed record Reply(HttpStatusCode Status, JsonElement? Json, string Text)
    {
        public string? Code => Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("code", out var c) ? c.GetString() : null;

        public JsonElement Body => Json ?? throw new InvalidOperationException($"No JSON body ({Status}): {Text}");
    }
}
