using System.Net;
using System.Text.Json;

namespace Ripcord.Silo.Tests.Api;

/// <summary>A confirmation hold applies to both modes, over real HTTP.</summary>
public sealed class ForceHoldTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    [Fact]
    public async Task ForceCancel_WithHold_PendingUntilConfirmedThenForceCancelling()
    {
        var caseId = await _silo.StartCaseAsync("report");

        var held = await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force", holdSeconds = 3600, reason = "withdrawn?" });

        Assert.Equal(HttpStatusCode.Accepted, held.Status);
        Assert.Equal("cancel_pending", held.Body.GetProperty("status").GetString());
        var view = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
        Assert.Equal("cancel_pending", view.GetProperty("status").GetString());
        Assert.Equal("force", view.GetProperty("cancel").GetProperty("mode").GetString());
        Assert.All(view.GetProperty("tasks").EnumerateArray(), t => Assert.NotEqual("cancelled", t.GetProperty("status").GetString()));

        var confirmed = await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel/confirm", TestKeys.Operator, null);

        Assert.Equal(HttpStatusCode.Accepted, confirmed.Status);
        Assert.Contains(confirmed.Body.GetProperty("status").GetString(), new[] { "force_cancelling", "cancelled" });
        var history = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body.GetProperty("history").EnumerateArray().ToList();
        var requested = Assert.Single(history, e => e.GetProperty("type").GetString() == "cancel_requested");
        Assert.Equal(3600, requested.GetProperty("detail").GetProperty("holdSeconds").GetDouble());
        Assert.Equal("force", requested.GetProperty("detail").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task ForceCancel_HoldZeroDuringHold_RunsAtOnce()
    {
        var caseId = await _silo.StartCaseAsync("report");
        await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "standard", holdSeconds = 3600 });

        var now = await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force", holdSeconds = 0 });

        Assert.Equal(HttpStatusCode.Accepted, now.Status);
        Assert.Contains(now.Body.GetProperty("status").GetString(), new[] { "force_cancelling", "cancelled" });
        Assert.Equal(JsonValueKind.Object, now.Body.ValueKind);
    }
}
