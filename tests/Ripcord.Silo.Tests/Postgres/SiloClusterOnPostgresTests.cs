using System.Net;
using System.Text.Json;
using Ripcord.Silo.Tests.Api;
using Ripcord.Testing.Postgres;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>Three silos (full HTTP hosts, in this process) on one PostgreSQL database, configured as an operator would.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class SiloClusterOnPostgresTests(PostgresFixture fixture) : IAsyncLifetime
{
    /// <summary>A safety net only: every wait ends as soon as the API shows what it waits for.</summary>
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(90);

    private readonly List<RunningSilo> _silos = [];
    private readonly string _schema = fixture.NewSchema();
    private readonly string _clusterId = RunningSilo.NewClusterId("pg-cluster");

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 3; i++)
        {
            _silos.Add(await RunningSilo.StartAsync(PostgresSilos.Settings(fixture, _schema, _clusterId, $"silo-{i}")));
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
    public async Task CaseStartedOnOneSilo_IsReadAndCancelledThroughTheOthers()
    {
        // The cluster-wide change stream, opened on a silo that neither starts nor cancels the case.
        await using var changes = await SseStream.OpenAsync(_silos[1].Http, "/api/v1/events", TestKeys.Viewer);

        var started = await _silos[0].PostAsync("/api/v1/cases", TestKeys.Operator, new { process = "report", caseId = "pg-case-1", input = new { topic = "x" }, admins = new[] { "root" } });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        var read = await _silos[1].GetAsync("/api/v1/cases/pg-case-1", TestKeys.Viewer);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("running", read.Body.GetProperty("status").GetString());
        var cancel = await _silos[2].PostAsync("/api/v1/cases/pg-case-1/cancel", TestKeys.Admin, new { mode = "force", reason = "cluster test" });
        Assert.Equal(HttpStatusCode.Accepted, cancel.Status);
        await WhenCaseAsync(changes, "pg-case-1", "cancelled");

        var final = (await _silos[0].GetAsync("/api/v1/cases/pg-case-1", TestKeys.Viewer)).Body;
        Assert.Equal("cancelled", final.GetProperty("status").GetString());
        Assert.Contains(final.GetProperty("history").EnumerateArray(), e => e.GetProperty("type").GetString() == "case_force_cancelling");

        // The case lives in the shared PostgreSQL schema (the store an operator chose), not in one silo's memory.
        Assert.Equal("cancelled", await fixture.ScalarAsync<string>($"SELECT status FROM {_schema}.ripcord_case_index WHERE case_id = 'pg-case-1'"));
        var cluster = (await _silos[1].GetAsync("/api/v1/cluster", TestKeys.Admin)).Body;
        Assert.Equal("Postgres", cluster.GetProperty("store").GetString());
        Assert.Equal("silo-2", cluster.GetProperty("self").GetString());
        var silos = cluster.GetProperty("silos").EnumerateArray().ToArray();
        Assert.Equal(["silo-1", "silo-2", "silo-3"], silos.Select(s => s.GetProperty("siloId").GetString()));
        Assert.All(silos, s => Assert.Equal("active", s.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task SiloStops_TheOthersServeItsCases()
    {
        var started = await _silos[0].PostAsync("/api/v1/cases", TestKeys.Operator, new { process = "report", caseId = "pg-case-2", input = new { topic = "y" }, admins = new[] { "root" } });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        await using var changes = await SseStream.OpenAsync(_silos[1].Http, "/api/v1/events", TestKeys.Viewer);

        await _silos[0].DisposeAsync();
        _silos.RemoveAt(0);
        var cancel = await _silos[0].PostAsync("/api/v1/cases/pg-case-2/cancel", TestKeys.Admin, new { mode = "force", reason = "silo gone" });

        Assert.Equal(HttpStatusCode.Accepted, cancel.Status);
        await WhenCaseAsync(changes, "pg-case-2", "cancelled");
        var view = (await _silos[1].GetAsync("/api/v1/cases/pg-case-2", TestKeys.Viewer)).Body;
        Assert.Equal("cancelled", view.GetProperty("status").GetString());
        Assert.Contains(view.GetProperty("history").EnumerateArray(), e => e.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String && reason.GetString() == "silo gone");
    }

    /// <summary>Completes when the cluster-wide change stream announces the case in <paramref name="status"/>.</summary>
    private static async Task WhenCaseAsync(SseStream changes, string caseId, string status)
    {
        var seen = new List<string>();
        using var limit = new CancellationTokenSource(SafetyNet);
        while (true)
        {
            JsonElement change;
            try
            {
                change = JsonDocument.Parse((await changes.NextAsync("case", SafetyNet).WaitAsync(limit.Token)).Data).RootElement;
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No change of {caseId} to {status} within {SafetyNet.TotalSeconds}s; saw: {string.Join(", ", seen)}");
            }

            seen.Add($"{change.GetProperty("caseId").GetString()}:{change.GetProperty("status").GetString()}");
            if (change.GetProperty("caseId").GetString() == caseId && change.GetProperty("status").GetString() == status)
            {
                return;
            }
        }
    }
}
