using System.Net;
using System.Text.Json;
using Ripcord.Contracts.Resources;
using Ripcord.Contracts.Tasks;
using Microsoft.Extensions.Options;
using Ripcord.Grains.Agents;
using Ripcord.Grains.Outbox;
using Ripcord.Grains.Resources;

namespace Ripcord.Grains.Tests.Outbox;

public sealed class OutboxHandlerTests
{
    private static readonly ResourceReleaseRequest Release = new("c-1", "vm-1", "vm", "t", "http://cloud.test/vm-1", "DELETE", 2);
    private static readonly WebhookHosts Hosts = Allowing(["cloud.test"], ["agents.test"]);

    [Theory]
    [InlineData(HttpStatusCode.NoContent, true)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false)]
    public async Task ReleaseWebhook_Answered_OutcomeReturnedForTheRegistry(HttpStatusCode code, bool success)
    {
        using var http = new StubHttp { Responder = _ => code };
        var handler = new WebhookReleaseHandler(http, Hosts);

        var outcome = await handler.HandleAsync(Release, CancellationToken.None);

        var result = Assert.IsType<ReleaseAttemptCompleted>(outcome);
        Assert.Equal(("vm-1", 2, success, (int)code), (result.ResourceId, result.Attempt, result.Success, result.StatusCode!.Value));
        Assert.Equal(("DELETE", "http://cloud.test/vm-1"), (Assert.Single(http.Calls).Method, http.Calls.Single().Url));
    }

    [Fact]
    public async Task ReleaseWebhook_Unreachable_FailureReturnedNotThrown()
    {
        using var http = new StubHttp { Responder = _ => throw new HttpRequestException("connection refused") };
        var handler = new WebhookReleaseHandler(http, Hosts);

        var result = Assert.IsType<ReleaseAttemptCompleted>(await handler.HandleAsync(Release, CancellationToken.None));

        Assert.False(result.Success);
        Assert.Null(result.StatusCode);
        Assert.Contains("connection refused", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://cloud.test.evil.example/vm-1")]
    [InlineData("http://user@cloud.test:8080/vm-1")]
    public async Task ReleaseWebhook_HostNotAllowed_NotCalledAndAFailureForTheRegistry(string url)
    {
        using var http = new StubHttp { Responder = _ => HttpStatusCode.NoContent };
        var handler = new WebhookReleaseHandler(http, Allowing(["cloud.test:80"], []));

        var result = Assert.IsType<ReleaseAttemptCompleted>(await handler.HandleAsync(Release with { Url = url }, CancellationToken.None));

        Assert.False(result.Success);
        Assert.Contains("AllowedReleaseHosts", result.Error, StringComparison.Ordinal);
        Assert.Empty(http.Calls);
    }

    [Fact]
    public async Task ReleaseWebhook_UnexpectedPayload_NothingCalled()
    {
        using var http = new StubHttp();
        var handler = new WebhookReleaseHandler(http, Hosts);

        Assert.Null(await handler.HandleAsync("not a release", CancellationToken.None));
        Assert.Empty(http.Calls);
    }

    [Fact]
    public async Task KillHook_Called_PostsTheRequestAndReturnsTheOutcomeForTheTask()
    {
        using var http = new StubHttp { Responder = _ => HttpStatusCode.Accepted };
        var handler = new AgentKillHandler(http, Hosts);

        var outcome = await handler.HandleAsync(new AgentKillRequest("c-1", "t", "a-1", "http://agents.test/a-1/kill", "stop"), CancellationToken.None);

        var call = Assert.Single(http.Calls);
        Assert.Equal("POST", call.Method);
        Assert.Equal("a-1", JsonDocument.Parse(call.Body!).RootElement.GetProperty("agentId").GetString());
        Assert.Equal(new KillHookCalled(true, 202, null), outcome);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://cloud.test/a-1/kill")]
    [InlineData("not a url")]
    public async Task KillHook_HostNotAllowed_NotCalledAndTheFailureGoesToTheTask(string url)
    {
        using var http = new StubHttp { Responder = _ => HttpStatusCode.Accepted };
        var handler = new AgentKillHandler(http, Hosts);

        var outcome = Assert.IsType<KillHookCalled>(await handler.HandleAsync(new AgentKillRequest("c-1", "t", "a-1", url, "stop"), CancellationToken.None));

        Assert.False(outcome.Success);
        Assert.Contains("AllowedKillHookHosts", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(http.Calls);
    }

    private static WebhookHosts Allowing(string[] releases, string[] killHooks)
    {
        var resources = new ResourceOptions();
        resources.AllowedReleaseHosts.AddRange(releases);
        var agents = new KillHookOptions();
        agents.AllowedKillHookHosts.AddRange(killHooks);
        return new WebhookHosts(Options.Create(resources), Options.Create(agents));
    }
}
