using Microsoft.Playwright;
using Ripcord.Dashboard.Tests.Fake;
using Ripcord.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Ripcord.Dashboard.Tests;

public sealed class AccessTests(BrowserFixture browser) : DashboardTestBase(browser)
{
    [Fact]
    public async Task Viewer_SeesTheCaseButNoControls()
    {
        Api.PutCase(CannedData.RunningInvestment("i-1"));
        Api.PutCase(CannedData.HeldInvestment("i-2"));
        await Session.LoginAsync(FakeRipcordApi.ViewerKey);
        await Expect(Session.Page.Locator("#principal")).ToContainTextAsync("victor (viewer)");
        await Session.OpenCaseAsync("i-1");

        await Expect(Session.TaskRow("market")).ToContainTextAsync("running");
        await AssertNoControlsAsync();

        await Session.GotoAsync("/cases/i-2");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Name = "Cancel on hold" })).ToBeVisibleAsync();
        await AssertNoControlsAsync();
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ReadOnlyMode_HidesControlsEvenFromAnAdmin()
    {
        Api.ReadOnly = true;
        Api.PutCase(CannedData.RunningInvestment("i-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/i-1");

        await Expect(Session.Page.Locator("#principal .badge.readonly")).ToHaveTextAsync("read-only");
        await Expect(Session.TaskRow("market")).ToContainTextAsync("running");
        await AssertNoControlsAsync();
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Unauthorized_AnyCall_ReturnsToLogin()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.OperatorKey, "/cases/r-1");
        await Api.Streams.WaitForConnectionAsync(FakeEventStreams.ForCase("r-1"));
        Session.AllowHttpStatus(401);

        // The key is revoked; the next event makes the page read the case, which answers 401.
        Api.RemoveKey(FakeRipcordApi.OperatorKey);
        Api.ChangeCase(CannedData.RunningReport("r-1"), "task_heartbeat");
        await Expect(Session.Page.GetByLabel("API key")).ToBeVisibleAsync();
        await Expect(Session.Page.Locator(".notice")).ToContainTextAsync("401");
        await Expect(Session.Page.Locator("#topbar")).ToBeHiddenAsync();
        Assert.Null(await Session.Page.EvaluateAsync<string?>("sessionStorage.getItem('ripcord.apiKey')"));
        Assert.Contains("returnTo=%2Fcases%2Fr-1", Session.Page.Url, StringComparison.Ordinal);

        // A wrong key is refused at the login form; the right one returns to the case.
        await Session.Page.GetByLabel("API key").FillAsync("wrong");
        await Session.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(Session.Page.Locator("#login-error")).ToHaveTextAsync("The server does not know this API key.");
        await Session.Page.GetByLabel("API key").FillAsync(FakeRipcordApi.AdminKey);
        await Session.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("r-1");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ApiKey_KeptForTheBrowserSession_NotAskedAgainOnReload()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/r-1");
        await Session.Page.ReloadAsync();
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("r-1");
        await Expect(Session.Page.GetByLabel("API key")).ToHaveCountAsync(0);

        await Session.Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(Session.Page.GetByLabel("API key")).ToBeVisibleAsync();
        await Session.Page.ReloadAsync();
        await Expect(Session.Page.GetByLabel("API key")).ToBeVisibleAsync();
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task WithoutMeEndpoint_LogsInWithRolesUnknownAndLeavesRefusalToTheServer()
    {
        Api.MeAvailable = false;
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.GotoAsync("/cases/r-1");
        Session.AllowHttpStatus(404);
        await Session.Page.GetByLabel("API key").FillAsync(FakeRipcordApi.ViewerKey);
        await Session.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Expect(Session.Page.Locator("#principal")).ToContainTextAsync("roles unknown");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("r-1");
        await Expect(Session.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel case…" })).ToBeVisibleAsync();
        Session.AssertNoConsoleErrors();
    }

    private async Task AssertNoControlsAsync()
    {
        foreach (var name in new[] { "Cancel case…", "Force cancel…", "Cancel task…", "Confirm cancel now…", "Override: keep the case running…" })
        {
            await Expect(Session.Page.GetByRole(AriaRole.Button, new() { Name = name })).ToHaveCountAsync(0);
        }

        await Expect(Session.Page.Locator("#cancel-selected")).ToHaveCountAsync(0);
        await Expect(Session.Page.Locator("table.tasks input[type=checkbox]")).ToHaveCountAsync(0);
    }
}
