using Ripcord.Dashboard.Tests.Fake;
using Ripcord.Dashboard.Tests.Infrastructure;

namespace Ripcord.Dashboard.Tests;

/// <summary>Each test gets its own fake API and browser context; the browser itself is shared.</summary>
[Collection(BrowserCollection.Name)]
public abstract class DashboardTestBase(BrowserFixture browser) : IAsyncLifetime
{
    private FakeRipcordApi? _api;
    private DashboardSession? _session;

    protected FakeRipcordApi Api => _api ?? throw new InvalidOperationException("Not started.");

    protected DashboardSession Session => _session ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _api = await FakeRipcordApi.StartAsync();
        _session = await DashboardSession.OpenAsync(browser.Browser, _api.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
