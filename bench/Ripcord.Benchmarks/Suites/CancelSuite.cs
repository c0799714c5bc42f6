using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ripcord.Benchmarks.Infrastructure;
using Ripcord.Client.Agents;
using Ripcord.Contracts;
using Ripcord.Contracts.Agents;
using Ripcord.Grains.Storage;
using Ripcord.Silo.Agents;

namespace Ripcord.Benchmarks.Suites;

/// <summary>
/// Cancel request -> the agent knows, over real HTTP and the agent's server-sent signal stream, against a real silo
/// on the in-memory store or PostgreSQL (--store). Each cancel is a Cancel Activity of the one running task of a fresh case, sent while
/// its agent works; one at a time. Two agents: a minimal one (raw HTTP poll, raw SSE reader, raw acknowledgement)
/// and one hosted by the agent SDK (the clock stops when the token the SDK handed the agent fires). The floors are
/// measured in the same loops, between the cancels.
/// </summary>
internal static class CancelSuite
{
    private const string RawAgentType = "bench-cancel-raw";
    private const string RawAgentId = "bench-raw-agent";
    private const string SdkAgentType = "bench-cancel-sdk";
    private const string SdkAgentId = "bench-sdk-agent";
    private const string FloorCase = "bench-floor";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Arguments args)
    {
        var cancels = args.Int("--cancels", 1000);
        var warmup = args.Int("--warmup", 200);
        await using var store = await BenchStore.StartAsync(args);
        var report = new Report("cancel" + store.Suffix, "Cancel latency: cancel request -> the agent's token fired" + (store.IsPostgres ? ", on PostgreSQL" : ""), args.Raw);
        var (goalP50, goalP99) = store.IsPostgres ? (5_000, 25_000) : (1_000, 5_000);

        await using var silo = await BenchSilo.StartAsync(store: store.NewClusterSettings());
        await silo.RegisterProcessAsync(RawAgentType, Definition(RawAgentType));
        await silo.RegisterProcessAsync(SdkAgentType, Definition(SdkAgentType));
        var index = silo.Services.GetRequiredService<ICaseIndex>();

        var health = new Samples("floor: `GET /healthz` round trip");
        var push = new Samples("floor: SSE write -> read on the agent's signal stream");
        var rawSignal = new Samples("**cancel -> SSE `cancel` event read (minimal client)**");
        var rawReply = new Samples("cancel -> HTTP 202 reply (minimal client runs)");
        var sdkToken = new Samples("**cancel -> agent SDK token fired**");
        var sdkReply = new Samples("cancel -> HTTP 202 reply (agent SDK runs)");

        Console.Error.WriteLine($"cancel: minimal client, {warmup} warm-up + {cancels} cancels");
        await RunMinimalAsync(silo, index, warmup, cancels, health, push, rawSignal, rawReply);
        Console.Error.WriteLine($"cancel: agent SDK, {warmup} warm-up + {cancels} cancels");
        await RunSdkAsync(silo, index, warmup, cancels, health, sdkToken, sdkReply);
        var commit = store.IsPostgres ? await store.MeasureCommitAsync(warmup, cancels) : null;
        var call = await OrleansFloor.MeasureAsync(silo.Services.GetRequiredService<IGrainFactory>(), warmup, cancels);

        report.Paragraph($$"""
            What is measured: a client POSTs Cancel Activity (`POST /api/v1/cases/{id}/tasks/work/cancel`) for the one
            task of a fresh case while its agent holds it; the clock starts just before the request is sent. Everything is
            real and in one process on loopback: Kestrel, API-key authentication, the case grain's turn (state, history
            and index rows written), its outbox mail to the task grain, the task grain's turn, its
            outbox publishing the signal to the agent's signal grain, the observer call to the silo's signal hub, the write
            on the agent's `text/event-stream` response. One cancel at a time; after each one the agent acknowledges and the
            suite waits until the case has ended before the next case starts. {{warmup}} warm-up cancels per agent are not
            reported. Store: {{store.Describe()}}.

            - Minimal client: raw `HttpClient` calls (poll, acknowledgement) and a raw SSE line reader on
              `GET /api/v1/agents/{id}/signals`; the clock stops when the blank line ending the `cancel` event is read.
            - Agent SDK: `AddRipcordAgent` (`RipcordAgentWorker`); the clock stops inside a callback registered on the
              `CancellationToken` the SDK passed to the agent.
            - Floors, measured between the cancels of the same loops: a `GET /healthz` on the same client and connection
              pool, and an SSE write -> read on the minimal agent's own signal connection (the silo's `AgentSignalHub`
              writes a signal straight onto the stream, no grain involved; the minimal reader stops the clock the same way).
              On PostgreSQL also a single-row `INSERT` committed on an open connection, measured after the cancels: a
              cancel commits two turns (the case grain's, then the task grain's) before the signal leaves. Last, a bare
              Orleans call in the same silo (its grain factory to a warm grain's empty method).
            """);
        var rows = new[] { health, push, rawSignal, rawReply, sdkToken, sdkReply }.Select(s => s.Summarize()).ToArray();
        report.Table(Summary.MillisecondsHeader, rows.Select(r => r.MillisecondsRow()).Concat(commit is null ? [] : [commit.Summarize().MillisecondsRow()]).Append(call.Summarize().MillisecondsRow()));

        var h = rows[0];
        var p = rows[1];
        var raw = rows[2];
        var sdk = rows[4];
        report.Paragraph($"""
            Against the floors (p50): the SDK token fires {Ratio(sdk.P50, h.P50)} a bare HTTP round trip, the minimal client
            reads its event {Ratio(raw.P50, h.P50)} it; the SSE write -> read floor alone is {Summary.Ms(p.P50)} ms.

            Goals: p50 <= {goalP50 / 1000} ms, p99 <= {goalP99 / 1000} ms. Agent SDK token: p50 {Summary.Ms(sdk.P50)} ms ({Verdict(sdk.P50 <= goalP50)}),
            p99 {Summary.Ms(sdk.P99)} ms ({Verdict(sdk.P99 <= goalP99)}). Minimal client: p50 {Summary.Ms(raw.P50)} ms
            ({Verdict(raw.P50 <= goalP50)}), p99 {Summary.Ms(raw.P99)} ms ({Verdict(raw.P99 <= goalP99)}).
            """);
        await report.PublishAsync(!args.Flag("--no-write"));
    }

    internal static string Ratio(double value, double floor) => floor > 0 ? $"{(value / floor).ToString("F1", CultureInfo.InvariantCulture)}x" : "n/a";

    internal static string Verdict(bool met) => met ? "met" : "**not met**";

    private static string Definition(string agentType) =>
        $$"""{ "name": "{{agentType}}", "heartbeatSeconds": 30, "nodes": [ { "id": "work", "agent": "{{agentType}}" } ], "edges": [] }""";

    private static async Task RunMinimalAsync(BenchSilo silo, ICaseIndex index, int warmup, int cancels, Samples health, Samples push, Samples signal, Samples reply)
    {
        var hub = silo.Services.GetRequiredService<AgentSignalHub>();
        await using var stream = await RawSseStream.OpenAsync(silo.Agent, $"/api/v1/agents/{RawAgentId}/signals");
        for (var i = 0; i < warmup + cancels; i++)
        {
            var measured = i >= warmup;

            // Floor 1: a bare HTTP round trip on the same client.
            var t = Stopwatch.GetTimestamp();
            await silo.Admin.GetHealthAsync();
            Record(measured, health, t, Stopwatch.GetTimestamp());

            // Floor 2: the hub writes a signal on this agent's stream; read as a cancel event is.
            t = Stopwatch.GetTimestamp();
            hub.Deliver(new CancelSignalNotice(FloorCase, "floor", RawAgentId, CancelMode.Standard, "floor", DateTimeOffset.UtcNow, 0));
            var floorEvent = await stream.NextAsync("cancel", e => CaseOf(e) == FloorCase, Patience);
            Record(measured, push, t, floorEvent.ReadAt);

            // The cancel: a fresh case, claimed by this agent, then cancelled while it runs.
            var caseId = $"raw-{i}";
            await silo.Admin.PostAsync("/api/v1/cases", new { process = RawAgentType, caseId });
            var task = await silo.Agent.PostAsync($"/api/v1/agents/{RawAgentId}/poll", new { agents = new[] { RawAgentType }, waitSeconds = 10 });
            if (task.ValueKind != JsonValueKind.Object || task.Str("caseId") != caseId)
            {
                throw new InvalidOperationException($"The poll did not hand over case {caseId}: {task}");
            }

            t = Stopwatch.GetTimestamp();
            await silo.Admin.PostAsync($"/api/v1/cases/{caseId}/tasks/work/cancel", new { reason = "bench" });
            var replied = Stopwatch.GetTimestamp();
            var cancel = await stream.NextAsync("cancel", e => CaseOf(e) == caseId, Patience);
            Record(measured, signal, t, cancel.ReadAt);
            Record(measured, reply, t, replied);

            await silo.Agent.PostAsync($"/api/v1/tasks/{caseId}/work/cancel-ack", new { leaseToken = task.Str("leaseToken") });
            await index.WaitForEndAsync(caseId, Patience);
        }
    }

    private static async Task RunSdkAsync(BenchSilo silo, ICaseIndex index, int warmup, int cancels, Samples health, Samples token, Samples reply)
    {
        var probe = new AgentProbe();
        var agents = Host.CreateApplicationBuilder();
        BenchSilo.QuietLogging(agents.Logging);
        agents.Services.AddSingleton(probe);
        agents.Services.AddRipcordClient(o =>
        {
            o.BaseAddress = silo.Address;
            o.ApiKey = BenchSilo.AgentKey;
        });
        agents.Services.AddRipcordAgent<WaitingAgent>(SdkAgentType, o =>
        {
            o.AgentId = SdkAgentId;
            o.PollWaitSeconds = 10;
        });
        using var host = agents.Build();
        await host.StartAsync();
        try
        {
            var hub = silo.Services.GetRequiredService<AgentSignalHub>();
            var connected = Stopwatch.GetTimestamp();
            while (!hub.IsConnected(SdkAgentId))
            {
                if (Stopwatch.GetElapsedTime(connected) > Patience)
                {
                    throw new TimeoutException("The agent SDK's signal stream did not connect.");
                }

                await Task.Delay(10);
            }

            for (var i = 0; i < warmup + cancels; i++)
            {
                var measured = i >= warmup;
                var t = Stopwatch.GetTimestamp();
                await silo.Admin.GetHealthAsync();
                Record(measured, health, t, Stopwatch.GetTimestamp());

                var caseId = $"sdk-{i}";
                await silo.Admin.PostAsync("/api/v1/cases", new { process = SdkAgentType, caseId });
                var started = await probe.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
                if (started != caseId)
                {
                    throw new InvalidOperationException($"The agent started {started}, expected {caseId}.");
                }

                t = Stopwatch.GetTimestamp();
                await silo.Admin.PostAsync($"/api/v1/cases/{caseId}/tasks/work/cancel", new { reason = "bench" });
                var replied = Stopwatch.GetTimestamp();
                var fired = await probe.Fired.Reader.ReadAsync().AsTask().WaitAsync(Patience);
                if (fired.CaseId != caseId)
                {
                    throw new InvalidOperationException($"The token of {fired.CaseId} fired, expected {caseId}.");
                }

                Record(measured, token, t, fired.At);
                Record(measured, reply, t, replied);

                // The SDK acknowledges by itself; the next case starts once this one has ended.
                await index.WaitForEndAsync(caseId, Patience);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static void Record(bool measured, Samples samples, long start, long end)
    {
        if (measured)
        {
            samples.Add(start, end);
        }
    }

    private static string? CaseOf(RawEvent e)
    {
        using var json = JsonDocument.Parse(e.Data);
        return json.RootElement.TryGetProperty("caseId", out var id) ? id.GetString() : null;
    }

    private sealed class AgentProbe
    {
        public Channel<string> Started { get; } = Channel.CreateUnbounded<string>();

        public Channel<(string CaseId, long At)> Fired { get; } = Channel.CreateUnbounded<(string, long)>();
    }

    /// <summary>Works until its token fires, and notes when it fired.</summary>
    private sealed class WaitingAgent(AgentProbe probe) : IRipcordAgent
    {
        public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
        {
            var caseId = context.CaseId;
            // The agent stops once its own callback has noted the token: a wait on the token itself (a delay) could end
            // the run first and dispose the registration before its callback ran, and the token would look unfired.
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = cancellationToken.Register(() =>
            {
                probe.Fired.Writer.TryWrite((caseId, Stopwatch.GetTimestamp()));
                stopped.TrySetResult();
            });
            probe.Started.Writer.TryWrite(caseId);
            await stopped.Task;
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }
}
