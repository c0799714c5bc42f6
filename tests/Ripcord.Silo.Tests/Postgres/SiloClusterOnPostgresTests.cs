using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Runtime;
using Ripcord.Testing.Postgres;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>Three silos (full HTTP hosts, in this process) on one PostgreSQL database, configured as an operator would.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class SiloClusterOnPostgresTests(PostgresFixture fixture) : IAsyncLifetime
{
    private readonly List<RunningSilo> _silos = [];
    private readonly string _schema = fixture.NewSchema();

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 3; i++)
        {
            var settings = TestKeys.Settings();
            settings["Ripcord:Store:Kind"] = "Postgres";
            settings["Ripcord:Store:Postgres:ConnectionString"] = fixture.ConnectionString;
            settings["Ripcord:Store:Postgres:SchemaName"] = _schema;
            settings["Ripcord:Store:Postgres:HeartbeatInterval"] = "00:00:00.5";
            settings["Ripcord:Store:Postgres:LeaseDuration"] = "00:00:02";
            settings["Ripcord:Runtime:SiloId"] = $"silo-{i}";
            settings["Ripcord:Runtime:PollInterval"] = "00:00:00.2";

            // The silo picks its store while its services are registered, before a test's settings are added, so
            // the store is chosen here, bound from the same keys an operator sets.
            _silos.Add(await RunningSilo.StartAsync(settings, builder =>
                builder.Services.UsePostgresStore(o => builder.Configuration.GetSection("Ripcord:Store:Postgres").Bind(o))));
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
        var cancelled = WhenCase("pg-case-1", CaseStatus.Cancelled);

        var started = await Send(_silos[0], HttpMethod.Post, "/api/v1/cases", TestKeys.Operator, new { process = "report", caseId = "pg-case-1", input = new { topic = "x" }, admins = new[] { "root" } });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var read = await Send(_silos[1], HttpMethod.Get, "/api/v1/cases/pg-case-1", TestKeys.Viewer);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("running", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var cancel = await Send(_silos[2], HttpMethod.Post, "/api/v1/cases/pg-case-1/cancel", TestKeys.Admin, new { mode = "force", reason = "cluster test" });
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await cancelled.WaitAsync(TimeSpan.FromSeconds(30));

        var final = await (await Send(_silos[0], HttpMethod.Get, "/api/v1/cases/pg-case-1", TestKeys.Viewer)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", final.GetProperty("status").GetString());
        Assert.Contains(final.GetProperty("history").EnumerateArray(), e => e.GetProperty("type").GetString() == "case_force_cancelling");
        var cluster = await (await Send(_silos[1], HttpMethod.Get, "/api/v1/cluster", TestKeys.Admin)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Postgres", cluster.GetProperty("store").GetString());
        Assert.Equal(["silo-1", "silo-2", "silo-3"], cluster.GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("siloId").GetString()));
    }

    [Fact]
    public async Task SiloStops_TheOthersServeItsCases()
    {
        var started = await Send(_silos[0], HttpMethod.Post, "/api/v1/cases", TestKeys.Operator, new { process = "report", caseId = "pg-case-2", input = new { topic = "y" }, admins = new[] { "root" } });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var cancelled = WhenCase("pg-case-2", CaseStatus.Cancelled, _silos[1], _silos[2]);

        await _silos[0].DisposeAsync();
        _silos.RemoveAt(0);
        var cancel = await Send(_silos[1], HttpMethod.Post, "/api/v1/cases/pg-case-2/cancel", TestKeys.Admin, new { mode = "force", reason = "silo gone" });

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await cancelled.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Completes when any of the silos commits the case grain in <paramref name="status"/>.</summary>
    private Task WhenCase(string caseId, CaseStatus status, params RunningSilo[] silos)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var silo in silos.Length > 0 ? silos : [.. _silos])
        {
            silo.Services.GetRequiredService<GrainRuntime>().TurnCommitted += turn =>
            {
                if (turn.State is CaseState state && state.CaseId == caseId && state.Status == status)
                {
                    done.TrySetResult();
                }
            };
        }

        return done.Task;
    }

    private static async Task<HttpResponseMessage> Send(RunningSilo silo, HttpMethod method, string path, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await silo.Http.SendAsync(request);
    }
}
