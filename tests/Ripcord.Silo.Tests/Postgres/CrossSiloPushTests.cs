using System.Net;
using System.Text.Json;
using Ripcord.Silo.Tests.Api;
using Ripcord.Testing.Postgres;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>A cancel signal reaches an agent whose stream is on one silo while the task grain runs on another.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class CrossSiloPushTests(PostgresFixture fixture) : IAsyncLifetime
{
    private readonly List<RunningSilo> _silos = [];
    private readonly string _schema = fixture.NewSchema();

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 2; i++)
        {
            var settings = TestKeys.Settings();
            settings["Ripcord:Store:Kind"] = "Postgres";
            settings["Ripcord:Store:Postgres:ConnectionString"] = fixture.ConnectionString;
            settings["Ripcord:Store:Postgres:SchemaName"] = _schema;
            settings["Ripcord:Runtime:SiloId"] = $"push-silo-{i}";
            _silos.Add(await RunningSilo.StartAsync(settings));
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

        // Whichever silo holds the task grain's lease commits the cancel signal; the agent listens on the other one.
        var owner = await fixture.ScalarAsync<string>($"SELECT owner FROM {_schema}.grains WHERE grain_type = 'task' AND case_id = '{caseId}'");
        var ownerIndex = owner == "push-silo-1" ? 0 : 1;
        Assert.Equal($"push-silo-{ownerIndex + 1}", owner);
        var listening = _silos[1 - ownerIndex];
        await using var signals = await SseStream.OpenAsync(listening.Http, "/api/v1/agents/x-agent/signals", TestKeys.Agent);

        var cancel = await _silos[ownerIndex].PostAsync($"/api/v1/cases/{caseId}/tasks/generate/cancel", TestKeys.Operator, new { reason = "across silos" });
        Assert.Equal(HttpStatusCode.Accepted, cancel.Status);

        var pushed = JsonDocument.Parse((await signals.NextAsync("cancel")).Data).RootElement;
        Assert.Equal(caseId, pushed.GetProperty("caseId").GetString());
        Assert.Equal("generate", pushed.GetProperty("taskId").GetString());
        Assert.Equal("across silos", pushed.GetProperty("reason").GetString());
        Assert.Equal(owner, await fixture.ScalarAsync<string>($"SELECT owner FROM {_schema}.grains WHERE grain_type = 'task' AND case_id = '{caseId}'"));
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
}
