using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ripcord.Deploy.Tests.Cluster;

/// <summary>The few calls of API.md the smoke test makes, over plain HTTP.</summary>
public sealed class RipcordApi : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    public async Task<(HttpStatusCode Status, JsonElement? Body)> GetAsync(Uri silo, string path, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(silo, path));
        return await SendAsync(request, key);
    }

    public async Task<(HttpStatusCode Status, JsonElement? Body)> PostAsync(Uri silo, string path, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(silo, path)) { Content = JsonContent.Create(body) };
        return await SendAsync(request, key);
    }

    /// <summary>Whether the silo serves the case API yet (its OpenAPI document lists <c>/api/v1/cases</c>).</summary>
    public async Task<bool> ServesCasesAsync(Uri silo)
    {
        var (status, body) = await GetAsync(silo, "/openapi/v1.json");
        return status == HttpStatusCode.OK
            && body is { } document
            && document.TryGetProperty("paths", out var paths)
            && paths.TryGetProperty("/api/v1/cases", out _);
    }

    /// <summary>GET /api/v1/cases/{caseId}; null while the silo cannot answer (it may be the one just killed).</summary>
    public async Task<JsonElement?> CaseAsync(Uri silo, string key, string caseId)
    {
        try
        {
            var (status, body) = await GetAsync(silo, $"/api/v1/cases/{Uri.EscapeDataString(caseId)}", key);
            return status == HttpStatusCode.OK ? body : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement? Body)> SendAsync(HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? body = null;
        if (text.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                body = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                body = JsonSerializer.SerializeToElement(text);
            }
        }

        return (response.StatusCode, body);
    }
}
