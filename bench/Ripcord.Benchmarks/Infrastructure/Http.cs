using System.Net.Http.Json;
using System.Text.Json;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>JSON calls to the silo that throw with the problem body when refused.</summary>
internal static class Http
{
    public static async Task<JsonElement> PostAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        await BenchSilo.EnsureSuccessAsync(response);
        return response.Content.Headers.ContentLength == 0 || response.StatusCode == System.Net.HttpStatusCode.NoContent
            ? default
            : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task GetHealthAsync(this HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        await BenchSilo.EnsureSuccessAsync(response);
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString() ?? "";
}
