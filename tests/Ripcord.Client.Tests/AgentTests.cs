using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ripcord.Client.Agents;
using Ripcord.Client.Models;
using Ripcord.Client.Tests.Fakes;

namespace Ripcord.Client.Tests;

public sealed partial class AgentTests : IAsyncLifetime
{
    private const string AgentId = "agent-7";

    private readonly AgentProbe _probe = new();
    private FakeRipcordServer _server = null!;
    private IHost? _host;

    public async Task InitializeAsync()
    {
        _server = await FakeRipcordServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CompleteAnswered503Once_IsRetried()
    {
        var attempts = 0;
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.On("POST", "/api/v1/tasks/{caseId}/{taskId}/complete", async (context, _) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await FakeRipcordServer.WriteProblemAsync(context, 503, "unavailable", "store restarting");
                return;
            }

            await FakeRipcordServer.WriteJsonAsync(context, 200, new { accepted = true });
            retried.TrySetResult();
        });
        _probe.Behavior = (_, _) => Task.FromResult<JsonElement?>(JsonSerializer.SerializeToElement("done"));
        await StartAgentAsync(heartbeatSeconds: 60);

        await retried.Task.WaitAsync(FakeRipcordServer.SafetyTimeout);
        await _host!.StopAsync();

        Assert.Equal(2, _server.Requests.Count(r => r.Path.EndsWith("/complete", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HeartbeatFailing_AgentRunsOnAndCompletes()
    {
        var heartbeats = 0;
        var twoHeartbeats = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.On("POST", "/api/v1/tasks/{caseId}/{taskId}/heartbeat", async (context, _) =>
        {
            var count = Interlocked.Increment(ref heartbeats);
            if (count == 1)
            {
                await FakeRipcordServer.WriteProblemAsync(context, 500, "internal", "boom");
                return;
            }

            await FakeRipcordServer.WriteJsonAsync(context, 200, "<html>not json</html>");
            twoHeartbeats.TrySetResult();
        });
        _probe.Behavior = async (_, token) =>
        {
            await twoHeartbeats.Task.WaitAsync(token);
            return JsonSerializer.SerializeToElement("done");
        };
        await StartAgentAsync(heartbeatSeconds: 0.02);

        var complete = await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/complete");

        Assert.Equal("done", complete.Json.GetProperty("output").GetString());
    }

    [Fact]
    public async Task AgentReturns_CompletesWithOutput()
    {
        _probe.Behavior = (context, _) =>
        {
            var input = context.GetInput<JsonElement>();
            return Task.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(new { summary = "about " + input.GetProperty("topic").GetString() }));
        };
        await StartAgentAsync(heartbeatSeconds: 60);

        var complete = await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/complete");

        Assert.Equal("L1", complete.Json.GetProperty("leaseToken").GetString());
        Assert.Equal("about GPUs", complete.Json.GetProperty("output").GetProperty("summary").GetString());
        var poll = await _server.WaitForRequestAsync("POST", $"/api/v1/agents/{AgentId}/poll");
        Assert.Equal("report-generator", poll.Json.GetProperty("agents")[0].GetString());
        Assert.Equal(1, poll.Json.GetProperty("waitSeconds").GetDouble());
        Assert.Equal("http://agent-host/kill", poll.Json.GetProperty("killHookUrl").GetString());
    }

    [Fact]
    public async Task AgentThrows_FailsWithError()
    {
        _probe.Behavior = (_, _) => throw new InvalidOperationException("model unavailable");
        await StartAgentAsync(heartbeatSeconds: 60);

        var fail = await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/fail");

        Assert.Equal("L1", fail.Json.GetProperty("leaseToken").GetString());
        Assert.Contains("model unavailable", fail.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxConcurrentTasks_RunsThatManyAtOnce()
    {
        var running = 0;
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _probe.Behavior = async (context, token) =>
        {
            if (Interlocked.Increment(ref running) == 2)
            {
                both.TrySetResult();
            }

            // Neither task finishes until both run: with one slot this would never complete.
            await both.Task.WaitAsync(token);
            return null;
        };
        await StartAgentAsync(heartbeatSeconds: 60, concurrency: 2, taskIds: ["a", "b"]);

        await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/a/complete");
        await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/b/complete");
    }

    [Fact]
    public async Task Resources_RegisteredWithWebhookAndReleased()
    {
        _probe.Behavior = async (context, token) =>
        {
            await context.RegisterResourceAsync(new RegisterResourceOptions
            {
                ResourceId = "vm-1",
                Kind = "vm",
                Release = new ResourceRelease { Url = new Uri("http://cloud.local/vms/vm-1") },
            }, token);
            await context.ReleaseResourceAsync("vm-1", token);
            return null;
        };
        await StartAgentAsync(heartbeatSeconds: 60);

        var register = await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/resources");
        var release = await _server.WaitForRequestAsync("DELETE", "/api/v1/tasks/c-1/generate/resources/vm-1");
        await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/complete");

        Assert.Equal(
            """{"leaseToken":"L1","resourceId":"vm-1","kind":"vm","release":{"type":"webhook","url":"http://cloud.local/vms/vm-1","method":"DELETE"}}""",
            register.Body);
        Assert.Equal("?leaseToken=L1", release.Query);
        Assert.Equal("L1", release.Json.GetProperty("leaseToken").GetString());
    }

    [Fact]
    public async Task PollAndSignalStreamFailing_WorkerBacksOffAndRecovers()
    {
        var polls = 0;
        _server.On("POST", "/api/v1/agents/{agentId}/poll", (context, _) => Interlocked.Increment(ref polls) switch
        {
            1 => FakeRipcordServer.WriteProblemAsync(context, 503, "unavailable", "starting"),
            2 => FakeRipcordServer.WriteJsonAsync(context, 200, "{ not json"),
            3 => FakeRipcordServer.WriteJsonAsync(context, 200, new { caseId = "c-1", taskId = "late", agent = "report-generator", leaseToken = "L2", heartbeatSeconds = 60 }),
            _ => FakeRipcordServer.WriteJsonAsync(context, 204, null),
        });
        _server.OnProblem("GET", "/api/v1/agents/{agentId}/signals", 500, "internal", "no streams yet");
        _probe.Behavior = (_, _) => Task.FromResult<JsonElement?>(null);
        await StartAgentAsync(heartbeatSeconds: 60, taskIds: [], configure: o => o.PollErrorDelay = TimeSpan.FromMilliseconds(5));

        var complete = await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/late/complete");

        Assert.Equal("L2", complete.Json.GetProperty("leaseToken").GetString());
        Assert.True(Volatile.Read(ref polls) >= 3);
    }

    [Fact]
    public async Task AgentApiKeyOverride_UsedForAgentCallsOnly()
    {
        _probe.Behavior = (_, _) => Task.FromResult<JsonElement?>(null);
        await StartAgentAsync(heartbeatSeconds: 60, configure: o => o.ApiKey = "agent-only");

        var poll = await _server.WaitForRequestAsync("POST", $"/api/v1/agents/{AgentId}/poll");
        var complete = await _server.WaitForRequestAsync("POST", "/api/v1/tasks/c-1/generate/complete");

        Assert.Equal("Bearer agent-only", poll.Authorization);
        Assert.Equal("Bearer agent-only", complete.Authorization);
        Assert.Equal("agent-key", _host!.Services.GetRequiredService<RipcordClient>().ApiKey);
    }

    [Fact]
    public void AddRipcordClient_CalledTwice_RegistersOneClientWithBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddRipcordClient(o => o.BaseAddress = new Uri("http://ripcord:5000"));
        services.AddRipcordClient(o => o.ApiKey = "k");
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(RipcordClient));
        var client = provider.GetRequiredService<RipcordClient>();
        Assert.Equal(new Uri("http://ripcord:5000/"), client.BaseAddress);
        Assert.Equal("k", client.ApiKey);
    }

    [Fact]
    public void AddRipcordAgent_SameTypeTwice_Throws()
    {
        var services = new ServiceCollection();
        services.AddRipcordAgent<ScriptedAgent>("report-generator");

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddRipcordAgent<ScriptedAgent>("report-generator"));
        Assert.Contains("report-generator", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRipcordAgent_ZeroConcurrency_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddRipcordAgent<ScriptedAgent>("x", o => o.MaxConcurrentTasks = 0));
    }

    private async Task StartAgentAsync(double heartbeatSeconds, int concurrency = 1, string[]? taskIds = null, Action<RipcordAgentOptions>? configure = null)
    {
        foreach (var taskId in taskIds ?? ["generate"])
        {
            await _server.Assignments.Writer.WriteAsync(new
            {
                caseId = "c-1",
                taskId,
                agent = "report-generator",
                input = new { topic = "GPUs" },
                checkpoint = (object?)null,
                leaseToken = "L1",
                heartbeatSeconds,
            });
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_probe);
        builder.Services.AddRipcordClient(o =>
        {
            o.BaseAddress = _server.BaseAddress;
            o.ApiKey = "agent-key";
        });
        builder.Services.AddRipcordAgent<ScriptedAgent>("report-generator", o =>
        {
            o.AgentId = AgentId;
            o.PollWaitSeconds = 1;
            o.MaxConcurrentTasks = concurrency;
            o.SignalReconnectDelay = TimeSpan.FromMilliseconds(10);
            o.KillHookUrl = new Uri("http://agent-host/kill");
            configure?.Invoke(o);
        });
        _host = builder.Build();
        await _host.StartAsync();
    }

    public sealed class AgentProbe
    {
        public Func<AgentContext, CancellationToken, Task<JsonElement?>> Behavior { get; set; } = (_, _) => Task.FromResult<JsonElement?>(null);

        public TaskCompletionSource<AgentContext> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class ScriptedAgent(AgentProbe probe) : IRipcordAgent
    {
        public Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken) => probe.Behavior(context, cancellationToken);
    }
}
