using System.Net;
using System.Text.Json;
using Orleans.Runtime;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Storage;
using Ripcord.Silo.Tests.Api;
using Ripcord.Testing.Postgres;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>A cancel signal reaches an agent whose stream is on one silo while the task grain runs on another.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class CrossSiloPushTests(PostgresFixture fixture) : IAsyncLifetime
{
    private readonly List<RunningSilo> _silos = [];
    private readonly string _schema = fixture.NewSchema();
    private readonly string _clusterId = RunningSilo.NewClusterId("push");

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 2; i++)
        {
            _silos.Add(await RunningSilo.StartAsync(PostgresSilos.Settings(fixture, _schema, _clusterId, $"push-silo-{i}")));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task CancelTask_AgentStreamOnTheSiloThatDoesNotHoldTheTask_SignalIsPushed()
    {
        var first = _silos[0];
        var process = await first.RegisterReportAsync("xsilo");
        var caseId = await first.StartCaseAsync(process, caseId: "xsilo-1");
        var claim = await first.PostAsync("/api/v1/agents/x-agent/poll", TestKeys.Agent, new { agents = new[] { "report-generator-xsilo" }, waitSeconds = 20 });
        Assert.Equal(HttpStatusCode.OK, claim.Status);
        Assert.Equal(caseId, claim.Body.GetProperty("caseId").GetString());

        // Whichever silo hosts the task grain commits the cancel signal; the agent listens on the other one.
        var holder = await TaskHolderAsync(caseId, "generate");
        var ownerIndex = _silos.FindIndex(s => s.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(holder));
        Assert.True(ownerIndex >= 0, $"the task grain is on {holder}, not on a silo of this test");
        var listening = _silos[1 - ownerIndex];
        await using var signals = await SseStream.OpenAsync(listening.Http, "/api/v1/agents/x-agent/signals", TestKeys.Agent);
        Assert.Equal(1, await AgentStreamsAsync(listening));
        Assert.Equal(0, await AgentStreamsAsync(_silos[ownerIndex]));

        var cancel = await _silos[ownerIndex].PostAsync($"/api/v1/cases/{caseId}/tasks/generate/cancel", TestKeys.Operator, new { reason = "across silos" });
        Assert.Equal(HttpStatusCode.Accepted, cancel.Status);

        var pushed = JsonDocument.Parse((await signals.NextAsync("cancel")).Data).RootElement;
        Assert.Equal(caseId, pushed.GetProperty("caseId").GetString());
        Assert.Equal("generate", pushed.GetProperty("taskId").GetString());
        Assert.Equal("across silos", pushed.GetProperty("reason").GetString());

        // The signal crossed to the agent's silo; the task grain did not move to it.
        Assert.Equal(holder, await TaskHolderAsync(caseId, "generate"));
    }

    [Fact]
    public async Task PutProcess_OnOneSilo_IsUsedByTheOthers()
    {
        var process = await _silos[0].RegisterReportAsync("shared");

        var reply = await _silos[1].GetAsync("/api/v1/processes", TestKeys.Viewer);
        Assert.True(reply.Json?.TryGetProperty("processes", out _) == true, reply.Text);
        var listed = reply.Body.GetProperty("processes");
        Assert.Contains(listed.EnumerateArray(), p => p.GetProperty("name").GetString() == process);
        Assert.Equal("xsilo-2", await _silos[1].StartCaseAsync(process, caseId: "xsilo-2"));
    }

    [Fact]
    public async Task ListCasesAndMetrics_OnPostgres_CoverCasesStartedThroughEverySilo()
    {
        var process = await _silos[0].RegisterReportAsync("listing");
        for (var i = 0; i < 5; i++)
        {
            await _silos[i % 2].StartCaseAsync(process, caseId: $"list-{i}");
        }

        var first = (await _silos[1].GetAsync($"/api/v1/cases?process={process}&limit=3", TestKeys.Viewer)).Body;
        Assert.Equal(["list-0", "list-1", "list-2"], first.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("caseId").GetString()));
        var next = first.GetProperty("next").GetString();
        var second = (await _silos[0].GetAsync($"/api/v1/cases?process={process}&limit=3&after={next}", TestKeys.Viewer)).Body;
        Assert.Equal(["list-3", "list-4"], second.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("caseId").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        var metrics = (await _silos[1].GetAsync("/api/v1/metrics", TestKeys.Viewer)).Body;
        Assert.True(metrics.GetProperty("cases").GetInt32() >= 5);
    }

    /// <summary>The silo that hosts the task grain now, from Orleans' grain directory.</summary>
    private async Task<SiloAddress> TaskHolderAsync(string caseId, string taskId)
    {
        var grains = _silos[0].Services.GetRequiredService<IGrainFactory>();
        var task = grains.GetGrain<ITaskGrain>(GrainKeys.Task(caseId, taskId));
        var address = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(task);
        Assert.True(address is not null, $"task {caseId}/{taskId} has no activation");
        return address;
    }

    /// <summary>The agent signal streams a silo says are connected to it (its own entry of the cluster view).</summary>
    private static async Task<int> AgentStreamsAsync(RunningSilo silo)
    {
        var cluster = (await silo.GetAsync("/api/v1/cluster", TestKeys.Viewer)).Body;
        return cluster.GetProperty("silos").EnumerateArray().Single(s => s.GetProperty("self").GetBoolean()).GetProperty("agentStreams").GetInt32();
    }
}
