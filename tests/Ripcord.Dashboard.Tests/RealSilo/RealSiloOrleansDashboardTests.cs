using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Ripcord.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Ripcord.Dashboard.Tests.RealSilo;

/// <summary>
/// The Orleans dashboard at <c>/orleans/</c> of a real silo: admins only, reachable from a browser through the
/// <c>ripcord_api_key</c> cookie the Ripcord dashboard sets, which the silo accepts under <c>/orleans</c> and nowhere
/// else; and the cluster view reading the real <c>GET /api/v1/cluster</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RealSiloOrleansDashboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task OrleansDashboard_OverHttp_TheCookieIsAnAdminsKeyUnderOrleansOnly()
    {
        await using var silo = await RealSiloHost.StartAsync();
        using var anonymous = silo.AnonymousClient();

        // No credentials: 401, with a problem saying how to get in.
        using (var none = await anonymous.GetAsync("/orleans/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
            Assert.Contains("ripcord_api_key", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // An admin's key in the cookie: the dashboard's page and the calls it makes for its data.
        using (var page = await silo.GetWithKeyCookieAsync("/orleans/", RealSiloHost.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var path in new[] { "/orleans/index.min.js", "/orleans/DashboardCounters", "/orleans/ClusterStats", "/orleans/version" })
        {
            using var data = await silo.GetWithKeyCookieAsync(path, RealSiloHost.AdminKey);
            Assert.True(data.StatusCode == HttpStatusCode.OK, $"{path}: {(int)data.StatusCode}");
        }

        // The browser writes the key percent-encoded (encodeURIComponent); the silo decodes it.
        using (var encoded = await silo.GetWithKeyCookieAsync("/orleans/", Uri.EscapeDataString(RealSiloHost.AdminKey).Replace("-", "%2D", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.OK, encoded.StatusCode);
        }

        // /orleans without the slash is the dashboard's own redirect, behind the same door.
        using (var redirect = await silo.GetWithKeyCookieAsync("/orleans", RealSiloHost.AdminKey))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        }

        // Anyone else's key: 403; a key the silo does not know: 401.
        foreach (var key in new[] { RealSiloHost.ViewerKey, RealSiloHost.OperatorKey, RealSiloHost.AgentKey })
        {
            using var refused = await silo.GetWithKeyCookieAsync("/orleans/", key);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{key}: {(int)refused.StatusCode}");
        }

        using (var unknown = await silo.GetWithKeyCookieAsync("/orleans/", "not-a-key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        // A header, when there is one, is what counts: a viewer's Bearer key beside an admin's cookie is a viewer.
        using (var header = await silo.GetWithKeyCookieAsync("/orleans/", RealSiloHost.AdminKey, bearer: RealSiloHost.ViewerKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, header.StatusCode);
        }

        // Everywhere else the cookie counts for nothing: the API stays Bearer-only.
        foreach (var path in new[] { "/api/v1/cases", "/api/v1/me", "/api/v1/cluster", "/api/v1/metrics" })
        {
            using var api = await silo.GetWithKeyCookieAsync(path, RealSiloHost.AdminKey);
            Assert.True(api.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)api.StatusCode}");
        }

        using (var bearer = silo.Client(RealSiloHost.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/cases")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/orleans/")).StatusCode);
        }

        // An unknown path under /orleans/ is a 404, not the Ripcord dashboard's page.
        using (var missing = await silo.GetWithKeyCookieAsync("/orleans/no-such-page", RealSiloHost.AdminKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
    }

    [Fact]
    public async Task Cluster_ShowsTheRealSilo_AndAnAdminOpensTheOrleansDashboardFromIt()
    {
        await using var silo = await RealSiloHost.StartAsync();
        using var client = silo.Client(RealSiloHost.AdminKey);
        var served = JsonNode.Parse(await client.GetStringAsync("/api/v1/cluster"))!;
        var self = (string)served["self"]!;
        Assert.Null(served["deadLetters"]);
        Assert.Null(served["mailboxDepth"]);

        await using var session = await DashboardSession.OpenAsync(browser.Browser, silo.BaseUrl);
        await session.LoginAsync(RealSiloHost.AdminKey, "/cluster");
        await Expect(session.Page.Locator("[data-metric=silos]")).ToHaveTextAsync("1");
        var row = session.Page.Locator($"tr[data-silo=\"{self}\"]");
        await Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("active");
        await Expect(row).ToContainTextAsync("this silo");
        await Expect(row.Locator("[data-field=heartbeat]")).ToContainTextAsync("ago");
        await Expect(row.Locator("[data-field=activations]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d[\d,]*$"));
        await Expect(row.Locator("[data-field=agent-streams]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await Expect(session.Page.Locator("[data-metric=activations]")).Not.ToHaveTextAsync("—");
        await session.ScreenshotAsync("real-cluster");
        session.AssertNoConsoleErrors();

        var counters = session.Page.WaitForResponseAsync(r => r.Url.Contains("/orleans/DashboardCounters", StringComparison.Ordinal));
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" }).ClickAsync();
        await session.Page.WaitForURLAsync(silo.BaseUrl.TrimEnd('/') + "/orleans/");
        await Expect(session.Page).ToHaveTitleAsync("Orleans Dashboard");
        Assert.Equal(200, (await counters).Status);
        await session.ScreenshotAsync("real-orleans-dashboard");

        // Log out in the Ripcord dashboard: the cookie goes, and the Orleans dashboard with it.
        await session.GotoAsync("/cluster");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(session.Page.GetByLabel("API key")).ToBeVisibleAsync();
        var after = await session.Page.GotoAsync(silo.BaseUrl.TrimEnd('/') + "/orleans/");
        Assert.Equal(401, after!.Status);
    }

    [Fact]
    public async Task Viewer_GetsNoCookieAndNoLink_AndTheBrowserIsRefused()
    {
        await using var silo = await RealSiloHost.StartAsync();
        await using var session = await DashboardSession.OpenAsync(browser.Browser, silo.BaseUrl);
        await session.LoginAsync(RealSiloHost.ViewerKey, "/cluster");
        await Expect(session.Page.Locator("[data-metric=silos]")).ToHaveTextAsync("1");
        await Expect(session.Page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" })).ToHaveCountAsync(0);
        Assert.DoesNotContain(await session.Page.Context.CookiesAsync(), c => c.Name == "ripcord_api_key");
        session.AssertNoConsoleErrors();

        var refused = await session.Page.GotoAsync(silo.BaseUrl.TrimEnd('/') + "/orleans/");
        Assert.Equal(401, refused!.Status);
    }
}
