using Microsoft.Playwright;
using Ripcord.Dashboard.Tests.Fake;
using Ripcord.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Ripcord.Dashboard.Tests;

public sealed class MetricsAndClusterTests(BrowserFixture browser) : DashboardTestBase(browser)
{
    [Fact]
    public async Task Metrics_ShowsSeedFiguresAndChartsThatGrowWithCaseChanges()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey);
        await Session.Page.GetByRole(AriaRole.Link, new() { Name = "Metrics" }).ClickAsync();
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Metrics");

        await Expect(Session.Page.Locator("[data-metric=latency-p50]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ ms$"));
        await Expect(Session.Page.Locator("[data-metric=latency-p99]")).Not.ToHaveTextAsync("—");
        await Expect(Session.Page.Locator("[data-metric=termination-mean]")).Not.ToHaveTextAsync("—");
        await Expect(Session.Page.Locator("[data-metric=tokens-saved]")).Not.ToHaveTextAsync("—");
        await Expect(Session.Page.Locator("[data-metric=orphaned]")).Not.ToHaveTextAsync("—");
        await Expect(Session.Page.Locator("[data-metric=false-cancellations]")).ToHaveTextAsync("2");
        await Expect(Session.Page.GetByRole(AriaRole.Img, new() { Name = "Cases by status" })).ToBeVisibleAsync();

        // Each case change makes the page sample again (at most once a second): the lines get points.
        await Api.Streams.WaitForConnectionAsync(FakeEventStreams.Global);
        for (var i = 0; i < 3; i++)
        {
            var before = await SampleCountAsync();
            Api.ChangeCase(CannedData.RunningReport($"r-{i + 10}"), "case_started");
            await Expect(Session.Page.Locator(".list-summary")).ToContainTextAsync($"{before + 1} samples");
        }

        await Expect(Session.Page.Locator("figure.chart polyline").First).ToBeVisibleAsync();
        await Session.ScreenshotAsync("metrics");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Cluster_ShowsSilosWithStatusHeartbeatActivationsAndAgentStreams()
    {
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cluster");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cluster");
        await Expect(Session.Page.Locator("[data-metric=silos]")).ToHaveTextAsync("3");
        await Expect(Session.Page.Locator(".figure:has([data-metric=silos])")).ToContainTextAsync("2 active");
        await Expect(Session.Page.Locator("[data-metric=activations]")).ToHaveTextAsync("78");
        await Expect(Session.Page.Locator("[data-metric=agent-streams]")).ToHaveTextAsync("2");
        await Expect(Session.Page.Locator(".figure:has([data-metric=agent-streams])")).ToContainTextAsync("on this silo");
        await Expect(Session.Page.Locator(".list-summary")).ToContainTextAsync("from silo silo-a1");

        var self = Session.Page.Locator("tr[data-silo=silo-a1]");
        await Expect(self.Locator("[data-field=status]")).ToHaveTextAsync("active");
        await Expect(self.Locator("[data-field=heartbeat]")).ToContainTextAsync("ago");
        await Expect(self.Locator("[data-field=started]")).Not.ToHaveTextAsync("—");
        await Expect(self.Locator("[data-field=activations]")).ToHaveTextAsync("41");
        await Expect(self.Locator("[data-field=agent-streams]")).ToHaveTextAsync("2");
        await Expect(self).ToContainTextAsync("this silo");
        await Expect(self).ToContainTextAsync("10.0.0.11:11111");

        var other = Session.Page.Locator("tr[data-silo=silo-b2]");
        await Expect(other.Locator("[data-field=activations]")).ToHaveTextAsync("37");
        await Expect(other.Locator("[data-field=agent-streams]")).ToHaveTextAsync("—");
        await Expect(other).Not.ToContainTextAsync("this silo");

        var dead = Session.Page.Locator("tr[data-silo=silo-c3]");
        await Expect(dead.Locator("[data-field=status]")).ToHaveTextAsync("dead");
        await Expect(dead.Locator(".badge.silo-dead")).ToBeVisibleAsync();
        await Expect(dead.Locator("[data-field=activations]")).ToHaveTextAsync("—");

        // What the cluster endpoint no longer serves is no longer shown.
        await Expect(Session.Page.GetByText("Dead letters")).ToHaveCountAsync(0);
        await Expect(Session.Page.GetByText("Mailbox depth")).ToHaveCountAsync(0);
        await Expect(Session.Page.GetByText("Leases held")).ToHaveCountAsync(0);

        var link = Session.Page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" });
        await Expect(link).ToBeVisibleAsync();
        await Expect(link).ToHaveAttributeAsync("href", "/orleans/");
        await Session.ScreenshotAsync("cluster");
        Session.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData(FakeRipcordApi.OperatorKey)]
    [InlineData(FakeRipcordApi.ViewerKey)]
    public async Task Cluster_OrleansDashboardLink_IsForAdminsOnly(string key)
    {
        await Session.LoginAsync(key, "/cluster");
        await Expect(Session.Page.Locator("tr[data-silo=silo-a1]")).ToBeVisibleAsync();
        await Expect(Session.Page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" })).ToHaveCountAsync(0);
        Assert.Null(await OrleansCookieAsync());
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task AdminLogin_SetsTheOrleansCookie_ReloadKeepsIt_LogoutClearsIt()
    {
        await Session.LoginAsync(FakeRipcordApi.AdminKey);
        var cookie = await OrleansCookieAsync();
        Assert.NotNull(cookie);
        Assert.Equal(FakeRipcordApi.AdminKey, cookie.Value);
        Assert.Equal("/orleans", cookie.Path);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(cookie.HttpOnly);
        Assert.Equal(-1, cookie.Expires); // a session cookie: gone when the browser closes
        // Path /orleans: the dashboard's own pages do not even see it.
        Assert.DoesNotContain("ripcord_api_key", await Session.Page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);

        await Session.Page.ReloadAsync();
        await Expect(Session.Page.Locator("#principal")).ToContainTextAsync("alice");
        Assert.Equal(FakeRipcordApi.AdminKey, (await OrleansCookieAsync())?.Value);

        await Session.Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(Session.Page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Null(await OrleansCookieAsync());
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ViewerLogin_ClearsAnOrleansCookieLeftBehind()
    {
        await SetOrleansCookieAsync(FakeRipcordApi.AdminKey);
        Assert.Equal("/orleans", (await OrleansCookieAsync())?.Path);
        await Session.LoginAsync(FakeRipcordApi.ViewerKey);
        Assert.Null(await OrleansCookieAsync());
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Cluster_OrleansDashboardLink_OpensItWithThisTabsKeyInTheCookie()
    {
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cluster");
        // Another tab of this browser has since logged in with a viewer's key, which replaced the cookie.
        await SetOrleansCookieAsync(FakeRipcordApi.ViewerKey);
        Assert.Equal(FakeRipcordApi.ViewerKey, (await OrleansCookieAsync())?.Value);

        await Session.Page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" }).ClickAsync();
        await Session.Page.WaitForURLAsync(Session.BaseUrl + "/orleans/");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Name = "Orleans Dashboard" })).ToBeVisibleAsync();
        Assert.Equal(1, Api.OrleansRequests);
        Assert.Equal(FakeRipcordApi.AdminKey, Api.LastOrleansCookie);

        // Back in the Ripcord dashboard the tab's session is still there.
        await Session.Page.GoBackAsync();
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cluster");
        await Expect(Session.Page.GetByLabel("API key")).ToHaveCountAsync(0);
        Session.AssertNoConsoleErrors();
    }

    /// <summary>Writes the cookie as the dashboard does (path /orleans), as another tab of the same browser would.</summary>
    private async Task SetOrleansCookieAsync(string value) =>
        await Session.Page.Context.AddCookiesAsync([new Cookie
        {
            Name = "ripcord_api_key", Value = value, Domain = new Uri(Session.BaseUrl).Host, Path = "/orleans", SameSite = SameSiteAttribute.Strict,
        }]);

    private async Task<BrowserContextCookiesResult?> OrleansCookieAsync() =>
        (await Session.Page.Context.CookiesAsync([Session.BaseUrl + "/orleans/"])).SingleOrDefault(c => c.Name == "ripcord_api_key");

    private async Task<int> SampleCountAsync()
    {
        var text = await Session.Page.Locator(".list-summary").TextContentAsync() ?? "";
        var match = System.Text.RegularExpressions.Regex.Match(text, @"(\d+) samples");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
