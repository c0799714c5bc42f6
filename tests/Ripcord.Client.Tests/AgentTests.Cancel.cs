using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ripcord.Client.Agents;
using Ripcord.Client.Models;
using Ripcord.Client.Tests.Fakes;

namespace Ripcord.Client.Tests;

/// <summary>The agent host and a cancel: pushed or returned by a heartbeat, the token fired, the acknowledgement, and a lease lost.</summary>
public sealed partial class AgentTests
{
    [Fact]
    public async Task PushedSignal_FiresTokenAndAcksWithCheckpointAndSnapshot()
    {
        var signals = _server.OnSse("/api/v1/agents/{agentId}/signals");
        _probe.Behavior = async (context, token) =>
        {
            context.SaveCheckpoint(new { page = 3 });
            context.SaveSnapshot(new { draft = "half" });
            context.ReportUsage(tokens: 4200, gpuSeconds: 7.5);
            _probe.Started.TrySetResult(context);
            await Task.Delay(Timeout.Infinite, token);
            return null;
        };
        await StartAgentAsync(heartbeatSeconds: 60);

        var stream = await signals.Reader.ReadAsync().AsTask().WaitAsync(FakeRipcordServer.SafetyTimeout);
        Assert.Equal("Bearer agent-key", stream.Request.Authorization);
        Assert.Equal(AgentId, stream.Request.Route("agentId"));
        var context = await _probe.Started.Task.WaitAsync(FakeRipcordServer.SafetyTimeout);
        await stream.SendAsync("""{"caseId":"c-1","taskId":"other","mode":"force"}""", eventType: "cancel", id: "1");
        await stream.SendAsync("""{"caseId":"c-1","taskId":"generate","mode":"force","reason":"operator","deadline":"2026-11-21T06:00:00Z"}""", eventType: "cancel", id: "2");

        var ack = await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/cancel-ack");
        Assert.Equal("L1", ack.Json.GetProperty("leaseToken").GetString());
        Assert.Equal(3, ack.Json.GetProperty("checkpoint").GetProperty("page").GetInt32());
        Assert.Equal("half", ack.Json.GetProperty("snapshot").GetProperty("draft").GetString());
        Assert.Equal(4200, ack.Json.GetProperty("usage").GetProperty("tokens").GetInt64());
        Assert.Equal(7.5, ack.Json.GetProperty("usage").GetProperty("gpuSeconds").GetDouble());
        Assert.Equal(CancelMode.Force, context.CancelSignal!.Mode);
        Assert.Equal("operator", context.CancelSignal.Reason);
        Assert.DoesNotContain(_server.Requests, r => r.Path.EndsWith("/complete", StringComparison.Ordinal) || r.Path.EndsWith("/fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignalStreamDrops_ReconnectsWithLastEventIdAndStillDeliversCancel()
    {
        var signals = _server.OnSse("/api/v1/agents/{agentId}/signals");
        _probe.Behavior = async (context, token) =>
        {
            _probe.Started.TrySetResult(context);
            await Task.Delay(Timeout.Infinite, token);
            return null;
        };
        await StartAgentAsync(heartbeatSeconds: 60);

        var first = await signals.Reader.ReadAsync().AsTask().WaitAsync(FakeRipcordServer.SafetyTimeout);
        await first.SendRawAsync("id: 5\ndata: {\"caseId\":\"c-0\",\"taskId\":\"old\",\"mode\":\"standard\"}\n\n");
        first.Close();
        var second = await signals.Reader.ReadAsync().AsTask().WaitAsync(FakeRipcordServer.SafetyTimeout);
        await _probe.Started.Task.WaitAsync(FakeRipcordServer.SafetyTimeout);
        await second.SendRawAsync("id: 6\nevent: cancel\ndata: {\"caseId\":\"c-1\",\ndata: \"taskId\":\"generate\",\"mode\":\"standard\"}\n\n");

        await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/cancel-ack");
        Assert.Equal("5", second.Request.Header("Last-Event-ID"));
    }

    [Fact]
    public async Task HeartbeatCancel_FiresTokenAndAcks_AfterReportingUsage()
    {
        var heartbeats = 0;
        _server.On("POST", "/api/v1/tasks/{caseId}/{taskId}/heartbeat", (context, request) =>
        {
            var count = Interlocked.Increment(ref heartbeats);
            // Cancel only on the third heartbeat, so the test also sees the SDK keep heartbeating on its own.
            var cancel = count >= 3 ? new { mode = "standard", reason = "budget", deadline = "2026-11-21T06:00:00Z" } : null;
            return FakeRipcordServer.WriteJsonAsync(context, 200, new { cancel });
        });
        _probe.Behavior = async (context, token) =>
        {
            context.ReportProgress(0.25);
            context.ReportUsage(tokens: 1200, gpuSeconds: 3.5);
            context.ReportEstimate(tokens: 5000, gpuSeconds: 14);
            context.SaveCheckpoint(new { step = 1 });
            await Task.Delay(Timeout.Infinite, token);
            return null;
        };
        await StartAgentAsync(heartbeatSeconds: 0.02);

        var ack = await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/cancel-ack");

        Assert.Equal(1, ack.Json.GetProperty("checkpoint").GetProperty("step").GetInt32());
        var beats = _server.Requests.Where(r => r.Path.EndsWith("/heartbeat", StringComparison.Ordinal)).ToList();
        Assert.True(beats.Count >= 3);
        var last = beats[^1].Json;
        Assert.Equal("L1", last.GetProperty("leaseToken").GetString());
        Assert.Equal(0.25, last.GetProperty("progress").GetDouble());
        Assert.Equal(1200, last.GetProperty("usage").GetProperty("tokens").GetInt64());
        Assert.Equal(3.5, last.GetProperty("usage").GetProperty("gpuSeconds").GetDouble());
        Assert.Equal(5000, last.GetProperty("estimate").GetProperty("tokens").GetInt64());

        // The saved checkpoint reached the server on one heartbeat; the later ones do not send it again.
        var carried = beats.Where(b => b.Json.TryGetProperty("checkpoint", out var c) && c.ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(1, Assert.Single(carried).Json.GetProperty("checkpoint").GetProperty("step").GetInt32());
    }

    [Fact]
    public async Task CompleteAfterCancelOnServer_TaskCancelledIsSwallowed()
    {
        _server.OnProblem("POST", "/api/v1/tasks/{caseId}/{taskId}/complete", 409, "task_cancelled", "late output discarded");
        _probe.Behavior = (_, _) => Task.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(1));
        await StartAgentAsync(heartbeatSeconds: 60);

        await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/complete");
        await _host!.StopAsync();

        Assert.Single(_server.Requests, r => r.Path.EndsWith("/complete", StringComparison.Ordinal));
        Assert.DoesNotContain(_server.Requests, r => r.Path.EndsWith("/fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LeaseLost_StopsAgentWithoutAnyReport()
    {
        _server.OnProblem("POST", "/api/v1/tasks/{caseId}/{taskId}/heartbeat", 409, "lease_lost", "lease moved to agent-9");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _probe.Behavior = async (context, token) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                stopped.TrySetResult();
            }

            return null;
        };
        await StartAgentAsync(heartbeatSeconds: 0.02);

        await stopped.Task.WaitAsync(FakeRipcordServer.SafetyTimeout);
        await _host!.StopAsync();

        Assert.DoesNotContain(_server.Requests, r => r.Path.EndsWith("/cancel-ack", StringComparison.Ordinal)
            || r.Path.EndsWith("/complete", StringComparison.Ordinal)
            || r.Path.EndsWith("/fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AgentThrowsOperationCanceled_AfterHeartbeatCancel_Acks()
    {
        _server.OnJson("POST", "/api/v1/tasks/{caseId}/{taskId}/heartbeat", 200, new { cancel = new { mode = "force" } });
        _probe.Behavior = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return null;
        };
        await StartAgentAsync(heartbeatSeconds: 0.02);

        var ack = await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/cancel-ack");

        Assert.False(ack.Json.TryGetProperty("checkpoint", out _));
    }
}
