using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ripcord.Benchmarks.Runtime;
using Ripcord.Client;
using Ripcord.Client.Agents;
using Ripcord.Silo.Hosting;

namespace Ripcord.Benchmarks.Cancel;

/// <summary>
/// Cancel request -> the agent's <see cref="CancellationToken"/> fired, end to end over real HTTP and the agent's
/// server-sent signal stream: a client POSTs Cancel Activity, the case and task grains commit, the signal is pushed,
/// the agent SDK fires the token. One cancel at a time, each on a fresh case whose agent is already working.
/// </summary>
internal static class CancelLatencyBenchmarks
{
    private const string AdminKey = "bench-admin-key";
    private const string AgentKey = "bench-agent-key";

    /// <summary>Runs the benchmark in memory and on a private PostgreSQL (or <c>--connection</c>), printing one table.</summary>
    public static async Task RunAllAsync(string[] args)
    {
        var count = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var connection = args.SkipWhile(a => a != "--connection").Skip(1).FirstOrDefault();
        Console.WriteLine($"# Cancel latency ({Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd})");
        Console.WriteLine();
        Console.WriteLine("| store | cancels | p50 ms | p99 ms | mean ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        await RunAsync(count, null, "in-memory");
        await using var server = connection is null ? await Ripcord.Testing.Postgres.PostgresServer.StartAsync(durable: true) : null;
        var postgres = new Dictionary<string, string?>
        {
            ["Ripcord:Store:Kind"] = "Postgres",
            ["Ripcord:Store:Postgres:ConnectionString"] = connection ?? server!.ConnectionString,
            ["Ripcord:Store:Postgres:SchemaName"] = "bench_cancel_" + Guid.NewGuid().ToString("N")[..8],
        };
        await RunAsync(count, postgres, "PostgreSQL (fsync on)");
    }

    private static async Task RunAsync(int count, IDictionary<string, string?>? storeSettings, string storeName)
    {
        var warmup = Math.Max(50, count / 10);
        var settings = new Dictionary<string, string?>
        {
            ["Ripcord:Auth:ApiKeys:0:Key"] = AdminKey,
            ["Ripcord:Auth:ApiKeys:0:Principal"] = "bench",
            ["Ripcord:Auth:ApiKeys:0:Roles:0"] = "admin",
            ["Ripcord:Auth:ApiKeys:1:Key"] = AgentKey,
            ["Ripcord:Auth:ApiKeys:1:Principal"] = "bench-agents",
            ["Ripcord:Auth:ApiKeys:1:Roles:0"] = "agent",
        };
        foreach (var (key, value) in storeSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var silo = SiloHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"], b => b.Logging.ClearProviders(), settings);
        await silo.StartAsync();
        var address = new Uri(silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var definition = """{ "name": "bench-cancel", "nodes": [ { "id": "work", "agent": "bench-worker" } ], "edges": [] }""";
        (await http.PutAsync(new Uri("/api/v1/processes/bench-cancel", UriKind.Relative), new StringContent(definition, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var probe = new Probe();
        var agents = Host.CreateApplicationBuilder();
        agents.Logging.ClearProviders();
        agents.Services.AddSingleton(probe);
        agents.Services.AddRipcordAgent<WaitingAgent>("bench-worker", o =>
        {
            o.BaseAddress = address;
            o.ApiKey = AgentKey;
            o.AgentId = "bench-agent";
            o.PollWaitSeconds = 10;
        });
        using var agentHost = agents.Build();
        await agentHost.StartAsync();

        var recorder = new LatencyRecorder();
        for (var i = 0; i < warmup + count; i++)
        {
            if (i == warmup)
            {
                recorder.Clear();
            }

            var caseId = $"bench-{i}";
            using (var start = await http.PostAsJsonAsync(new Uri("/api/v1/cases", UriKind.Relative), new { process = "bench-cancel", caseId }))
            {
                start.EnsureSuccessStatusCode();
            }

            var working = await probe.Started.Reader.ReadAsync();
            if (working != caseId)
            {
                throw new InvalidOperationException($"Agent started {working}, expected {caseId}.");
            }

            var sent = Stopwatch.GetTimestamp();
            using (var cancel = await http.PostAsJsonAsync(new Uri($"/api/v1/cases/{caseId}/tasks/work/cancel", UriKind.Relative), new { reason = "bench" }))
            {
                cancel.EnsureSuccessStatusCode();
            }

            var fired = await probe.Fired.Reader.ReadAsync();
            recorder.Record(Stopwatch.GetElapsedTime(sent, fired));
        }

        var (p50, p99, mean) = recorder.Summary();
        Console.WriteLine($"| {storeName} | {count:N0} | {p50 / 1000:F2} | {p99 / 1000:F2} | {mean / 1000:F2} |");
        await agentHost.StopAsync();
        await silo.StopAsync();
        await silo.DisposeAsync();
    }

    private sealed class Probe
    {
        public Channel<string> Started { get; } = Channel.CreateUnbounded<string>();

        public Channel<long> Fired { get; } = Channel.CreateUnbounded<long>();
    }

    /// <summary>Works until its token fires, and notes the moment it fired.</summary>
    private sealed class WaitingAgent(Probe probe) : IRipcordAgent
    {
        public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
        {
            using var registration = cancellationToken.Register(() => probe.Fired.Writer.TryWrite(Stopwatch.GetTimestamp()));
            probe.Started.Writer.TryWrite(context.CaseId);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }
    }
}
