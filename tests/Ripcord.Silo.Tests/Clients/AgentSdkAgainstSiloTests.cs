using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Ripcord.Client;
using Ripcord.Client.Agents;
using Ripcord.Silo.Tests.Api;

namespace Ripcord.Silo.Tests.Clients;

/// <summary>An agent hosted by the agent SDK, working for a real silo: its token fires on a pushed cancel.</summary>
public sealed class AgentSdkAgainstSiloTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    [Fact]
    public async Task AgentSdk_TaskCancelled_TokenFiresAndTheCheckpointReachesTheFallback()
    {
        var process = await _silo.RegisterReportAsync("agentsdk");
        var probe = new AgentProbe();
        using var host = await StartAgentAsync<PatientAgent>("report-generator-agentsdk", "sdk-agent-1", probe);
        try
        {
            var caseId = await _silo.StartCaseAsync(process, input: new { topic = "glaciers" });
            Assert.Equal(caseId, await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(30)));

            var cancel = await _silo.PostAsync($"/api/v1/cases/{caseId}/tasks/generate/cancel", TestKeys.Operator, new { reason = "summary instead" });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, cancel.Status);
            await probe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // The SDK acknowledged with the agent's checkpoint, so the fallback gets it.
            var fallback = (await _silo.PostAsync("/api/v1/agents/sum-sdk/poll", TestKeys.Agent, new { agents = new[] { "quick-summary-agentsdk" }, waitSeconds = 10 })).Body;
            Assert.Equal(caseId, fallback.GetProperty("caseId").GetString());
            Assert.Contains("\"pages\":7", fallback.GetRawText().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task AgentSdk_IgnoringItsCancel_TheFallbackStartsWithTheCheckpointItSavedOnAHeartbeat()
    {
        var process = await _silo.RegisterReportAsync("agentsdk-deaf", checkpointWaitSeconds: 0.2);
        var probe = new AgentProbe();
        using var host = await StartAgentAsync<DeafAgent>("report-generator-agentsdk-deaf", "sdk-deaf-1", probe);
        try
        {
            var caseId = await _silo.StartCaseAsync(process, input: new { topic = "dunes" });
            Assert.Equal(caseId, await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(30)));

            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await _silo.PostAsync($"/api/v1/cases/{caseId}/tasks/generate/cancel", TestKeys.Operator, new { reason = "summary instead" })).Status);

            // The agent goes on working and never acknowledges; the summary still starts, from its saved checkpoint.
            var fallback = (await _silo.PostAsync("/api/v1/agents/sum-sdk-deaf/poll", TestKeys.Agent, new { agents = new[] { "quick-summary-agentsdk-deaf" }, waitSeconds = 10 })).Body;
            Assert.Equal(caseId, fallback.GetProperty("caseId").GetString());
            Assert.Equal(4, fallback.GetProperty("checkpoint").GetProperty("pages").GetInt32());
            var view = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
            var generate = view.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("taskId").GetString() == "generate");
            Assert.Equal("cancelling", generate.GetProperty("status").GetString());
        }
        finally
        {
            probe.Released.TrySetResult();
            await host.StopAsync();
        }
    }

    private async Task<IHost> StartAgentAsync<TAgent>(string agentType, string agentId, AgentProbe probe)
        where TAgent : class, IRipcordAgent
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(probe);
        builder.Services.AddRipcordAgent<TAgent>(agentType, o =>
        {
            o.BaseAddress = _silo.Address;
            o.ApiKey = TestKeys.Agent;
            o.AgentId = agentId;
            o.PollWaitSeconds = 5;
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public sealed class AgentProbe
    {
        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Saves a checkpoint on a heartbeat, then works on whatever its token says, until the test releases it.</summary>
    public sealed class DeafAgent(AgentProbe probe) : IRipcordAgent
    {
        public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
        {
            await context.SaveCheckpointAsync(new { pages = 4 }, CancellationToken.None);
            probe.Started.TrySetResult(context.CaseId);
            await probe.Released.Task;
            return null;
        }
    }

    /// <summary>Works until cancelled, saving a checkpoint as it goes.</summary>
    public sealed class PatientAgent(AgentProbe probe) : IRipcordAgent
    {
        public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
        {
            context.SaveCheckpoint(new { pages = 7 });
            context.ReportEstimate(10_000, 60);
            probe.Started.TrySetResult(context.CaseId);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                probe.Cancelled.TrySetResult();
                throw;
            }

            return null;
        }
    }
}
