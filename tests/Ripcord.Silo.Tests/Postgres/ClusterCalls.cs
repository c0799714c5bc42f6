using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Ripcord.Silo.Tests.Api;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>
/// HTTP calls to the silos of a cluster, and waits that follow a case through the API: a silo may be gone, or a
/// grain call unsure (503), while the cluster recovers, so a wait reacts to each answer until its safety net.
/// </summary>
public static class ClusterCalls
{
    public static async Task<ApiCall.Reply> SendAsync(HttpClient http, HttpMethod method, string path, string key, object? body = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: JsonSerializerOptions.Web);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(text).RootElement.Clone()
            : null;
        return new ApiCall.Reply(response.StatusCode, json, text);
    }

    /// <summary>
    /// Reads the case after each of its history events (and at least every two seconds, should the stream break)
    /// until <paramref name="done"/> holds for its view; fails after <paramref name="within"/> with the last answer.
    /// </summary>
    public static async Task<JsonElement> WaitForCaseAsync(HttpClient http, string caseId, Func<JsonElement, bool> done, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTimeOffset.UtcNow + within;
        var last = "no answer yet";
        SseStream? events = null;
        try
        {
            while (true)
            {
                events ??= await TryOpenAsync(http, $"/api/v1/cases/{caseId}/events");
                try
                {
                    var reply = await SendAsync(http, HttpMethod.Get, $"/api/v1/cases/{caseId}", TestKeys.Viewer);
                    if (reply.Status == HttpStatusCode.OK && done(reply.Body))
                    {
                        return reply.Body;
                    }

                    last = $"{(int)reply.Status} {reply.Text}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = e.Message;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new TimeoutException($"Case {caseId} did not get there within {within.TotalSeconds}s; last answer: {last}");
                }

                if (events is null)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500));
                    continue;
                }

                try
                {
                    await events.NextAsync("history", TimeSpan.FromSeconds(2));
                }
                catch (OperationCanceledException)
                {
                    // No event for a while: read the case again all the same.
                }
                catch (ChannelClosedException)
                {
                    await events.DisposeAsync();
                    events = null;
                }
            }
        }
        finally
        {
            if (events is not null)
            {
                await events.DisposeAsync();
            }
        }
    }

    public static Task<JsonElement> WaitForStatusAsync(HttpClient http, string caseId, string status, TimeSpan within) =>
        WaitForCaseAsync(http, caseId, v => v.GetProperty("status").GetString() == status, within);

    private static async Task<SseStream?> TryOpenAsync(HttpClient http, string path)
    {
        try
        {
            return await SseStream.OpenAsync(http, path, TestKeys.Viewer);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException or InvalidOperationException)
        {
            return null;
        }
    }
}
