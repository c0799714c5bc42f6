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
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(probe);
        builder.Services.AddRipcordAgent<PatientAgent>("report-generator-agentsdk", o =>
        {
            o.BaseAddress = _silo.Address;
            o.ApiKey = TestKeys.Agent;
            o.AgentId = "sdk-agent-1";
            o.PollWaitSeconds = 5;
        });
        using var host = builder.Build();
        await host.StartAsync();
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

    public sealed class AgentProbe
    {
        public TaskCompletionSource<string> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
