using System.Net;
using System.Text.Json;

namespace Ripcord.Silo.Tests.Api;

/// <summary>Release webhooks and kill hooks go only to the hosts the operator allows, and a redirect is not followed, over HTTP.</summary>
public sealed class ReleaseHostTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam")]
    [InlineData("http://localhost:8500/v1/kv")]
    [InlineData("https://cloud.example.com/vms/1")]
    public async Task A_registration_naming_a_host_not_allowed_is_refused_and_registers_nothing(string url)
    {
        var (caseId, lease) = await ClaimAsync("refuse-" + Guid.NewGuid().ToString("N")[..6]);
        var task = $"/api/v1/tasks/{caseId}/generate/resources";

        var refused = await _silo.PostAsync(task, TestKeys.Agent, new { leaseToken = lease, resourceId = "vm-1", kind = "vm", release = new { type = "webhook", url, method = "DELETE" } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("release_host_not_allowed", refused.Code);
        Assert.Contains("Ripcord:Resources:AllowedReleaseHosts", refused.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var view = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
        Assert.Empty(view.GetProperty("resources").EnumerateArray());

        // What the registry already accepted, and the agent's next good registration, are untouched by the refusal.
        await using var webhooks = await WebhookReceiver.StartAsync();
        var accepted = await _silo.PostAsync(task, TestKeys.Agent, new { leaseToken = lease, resourceId = "vm-2", kind = "vm", release = new { type = "webhook", url = webhooks.UrlFor("vm-2"), method = "DELETE" } });
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal(HttpStatusCode.Accepted, (await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force", reason = "withdrawn" })).Status);
        await webhooks.Released("vm-2");
        Assert.Equal(1, webhooks.Calls("DELETE", "vm-2"));
    }

    [Fact]
    public async Task A_release_answered_with_a_redirect_is_not_followed()
    {
        await using var webhooks = await WebhookReceiver.StartAsync();
        var (caseId, lease) = await ClaimAsync("moved-" + Guid.NewGuid().ToString("N")[..6]);
        var registered = await _silo.PostAsync($"/api/v1/tasks/{caseId}/generate/resources", TestKeys.Agent, new { leaseToken = lease, resourceId = "vm-9", kind = "vm", release = new { type = "webhook", url = webhooks.MovedUrlFor("vm-9"), method = "DELETE" } });
        Assert.Equal(HttpStatusCode.OK, registered.Status);

        Assert.Equal(HttpStatusCode.Accepted, (await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force", reason = "withdrawn" })).Status);

        var view = await _silo.WaitForViewAsync(caseId, v => v.GetProperty("resources").EnumerateArray().Any(r => r.GetProperty("lastError").ValueKind == JsonValueKind.String));
        var resource = view.GetProperty("resources").EnumerateArray().Single();
        Assert.Contains("307", resource.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("released", resource.GetProperty("status").GetString());
        Assert.True(webhooks.Calls("DELETE", "moved/vm-9") >= 1);
        Assert.Equal(0, webhooks.Calls("DELETE", "vm-9"));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam")]
    [InlineData("http://localhost:9000/kill")]
    public async Task A_poll_naming_a_kill_hook_on_a_host_not_allowed_is_refused_and_claims_nothing(string hook)
    {
        var suffix = "hook-" + Guid.NewGuid().ToString("N")[..6];
        var process = await _silo.RegisterReportAsync(suffix);
        var caseId = await _silo.StartCaseAsync(process);
        var agents = new[] { "report-generator-" + suffix };

        var refused = await _silo.PostAsync($"/api/v1/agents/gen-{suffix}/poll", TestKeys.Agent, new { agents, waitSeconds = 1, killHookUrl = hook });

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("kill_hook_host_not_allowed", refused.Code);
        Assert.Contains("Ripcord:Agents:AllowedKillHookHosts", refused.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var generate = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("taskId").GetString() == "generate");
        Assert.Equal("ready", generate.GetProperty("status").GetString());

        // The same agent with a hook on an allowed host gets the task.
        var claimed = await _silo.PostAsync($"/api/v1/agents/gen-{suffix}/poll", TestKeys.Agent, new { agents, waitSeconds = 10, killHookUrl = "http://127.0.0.1:9/kill" });
        Assert.Equal(HttpStatusCode.OK, claimed.Status);
        Assert.Equal(caseId, claimed.Body.GetProperty("caseId").GetString());
    }

    private async Task<(string CaseId, string Lease)> ClaimAsync(string suffix)
    {
        var process = await _silo.RegisterReportAsync(suffix);
        var caseId = await _silo.StartCaseAsync(process, input: new { topic = "hosts" });
        var claim = (await _silo.PostAsync($"/api/v1/agents/gen-{suffix}/poll", TestKeys.Agent, new { agents = new[] { "report-generator-" + suffix }, waitSeconds = 10 })).Body;
        Assert.Equal(caseId, claim.GetProperty("caseId").GetString());
        return (caseId, claim.GetProperty("leaseToken").GetString()!);
    }
}
