using System.Net;
using Ripcord.Dashboard.Tests.Fake;

namespace Ripcord.Dashboard.Tests;

/// <summary>How <c>MapRipcordDashboard</c> answers, over plain HTTP.</summary>
public sealed class DashboardEndpointsTests : IAsyncLifetime
{
    private FakeRipcordApi? _api;
    private HttpClient? _http;

    private HttpClient Http => _http ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _api = await FakeRipcordApi.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_api.BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/cases")]
    [InlineData("/cases/c-1.v2")]
    [InlineData("/metrics")]
    public async Task Get_PageOrClientRoute_ServesIndexWithSecurityHeaders(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"/js/app.js\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/js/app.js", "text/javascript")]
    [InlineData("/css/app.css", "text/css")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task Get_Asset_ServedWithItsTypeAndAnETag(string path, string mediaType)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag);
        using var revalidated = await Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/no-such-route")]
    [InlineData("/api")]
    [InlineData("/healthz/extra")]
    [InlineData("/js/missing.js")]
    [InlineData("/css/missing.css")]
    public async Task Get_UnknownApiRouteOrMissingAsset_Is404NotTheDashboard(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Post_ToAClientRoute_Is404()
    {
        using var response = await Http.PostAsync("/cases", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
