using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ripcord.Benchmarks.Infrastructure;
using Ripcord.Client.Agents;
using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Storage;
using Ripcord.Silo.Agents;

namespace Ripcord.Benchmarks.Suites;

/// <summary>
/// Full termination of one case: Cancel Case on a case whose tasks are all running, each held by an agent (hosted by
/// the agent SDK, one worker with a slot per task) that stops and acknowledges as soon as its token fires. The clock
/// runs from sending the HTTP cancel until the case is cancelled, seen two ways: the case grain writing its
/// <c>cancelled</c> index row (in its final turn), and the <c>case_cancelled</c> event arriving on the case's
/// server-sent event stream.
/// </summary>
internal static class TerminationSuite
{
    private const string AgentType = "bench-term";
    private const string AgentId = "bench-term-agent";
    private const string InProcessAgentType = "bench-term-direct";
    private const string InProcessAgentId = "bench-term-direct-agent";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(Arguments args)
    {
        var tasks = args.Int("--tasks", 100);
        var repeats = args.Int("--repeats", 30);
        var warmup = args.Int("--warmup", 3);
        var settle = TimeSpan.FromMilliseconds(args.Int("--settle-ms", 1500));
        await using var store = await BenchStore.StartAsync(args);
        var report = new Report("termination" + store.Suffix, $"Full termination: Cancel Case of one case of {tasks} running tasks -> case cancelled" + (store.IsPostgres ? ", on PostgreSQL" : ""), args.Raw);
        var goal = store.IsPostgres ? 100_000 : 20_000;

        var turns = args.Flag("--turns") ? new TurnTally() : null;
        ObservedCaseIndex? observed = null;
        await using var silo = await BenchSilo.StartAsync(builder =>
        {
            if (turns is not null)
            {
                builder.Services.AddSingleton<IIncomingGrainCallFilter>(turns);
            }

            ObservedCaseIndex.Decorate(builder.Services, o => observed = o);
        }, store.NewClusterSettings());
        var index = silo.Services.GetRequiredService<ICaseIndex>();
        if (observed is null)
        {
            throw new InvalidOperationException("The silo does not use the observed case index.");
        }

        var history = silo.Services.GetRequiredService<ICaseHistory>();
        await silo.RegisterProcessAsync(AgentType, Definition(tasks, AgentType));

        var probe = new AgentProbe();
        var agents = Host.CreateApplicationBuilder();
        BenchSilo.QuietLogging(agents.Logging);
        agents.Services.AddSingleton(probe);
        agents.Services.AddRipcordClient(o =>
        {
            o.BaseAddress = silo.Address;
            o.ApiKey = BenchSilo.AgentKey;
        });
        agents.Services.AddRipcordAgent<StoppingAgent>(AgentType, o =>
        {
            o.AgentId = AgentId;
            o.MaxConcurrentTasks = tasks;
            o.PollWaitSeconds = 10;
        });
        using var host = agents.Build();
        await host.StartAsync();

        var floor = new Samples($"floor: {tasks} concurrent `GET /healthz` + 1 `GET /healthz`");
        var reply = new Samples("Cancel Case -> HTTP 202 reply");
        var firstToken = new Samples("Cancel Case -> first agent token fired");
        var lastToken = new Samples($"Cancel Case -> last ({tasks}th) agent token fired");
        var grain = new Samples("**Cancel Case -> case grain wrote `cancelled`**");
        var sse = new Samples("**Cancel Case -> `case_cancelled` read on the case's SSE stream**");
        var measure = new Samples("the case's own measure: time to full termination");
        using var floorClient = new HttpClient { BaseAddress = silo.Address };
        try
        {
            var hub = silo.Services.GetRequiredService<AgentSignalHub>();
            await WaitUntilAsync(() => hub.IsConnected(AgentId), "The agent SDK's signal stream did not connect.");
            for (var rep = 0; rep < warmup + repeats; rep++)
            {
                var measured = rep >= warmup;
                Console.Error.WriteLine($"termination: {(measured ? "run" : "warm-up")} {(measured ? rep - warmup + 1 : rep + 1)}");

                // Floor: the HTTP work the termination cannot avoid (the cancel request, one acknowledgement per task).
                var t = Stopwatch.GetTimestamp();
                await floorClient.GetHealthAsync();
                await Task.WhenAll(Enumerable.Range(0, tasks).Select(_ => floorClient.GetHealthAsync()));
                Record(measured, floor, t, Stopwatch.GetTimestamp());

                var caseId = $"term-{rep}";
                var run = probe.Expect(caseId, tasks);
                await silo.Admin.PostAsync("/api/v1/cases", new { process = AgentType, caseId });
                await run.AllStarted.Task.WaitAsync(Patience);

                // The case's event stream, caught up with everything written so far.
                await using var stream = await RawSseStream.OpenAsync(silo.Admin, $"/api/v1/cases/{caseId}/events");
                var written = (await history.ReadAsync(caseId, 0, 100_000, CancellationToken.None)).Count.ToString(CultureInfo.InvariantCulture);
                await stream.NextAsync("history", e => e.Id == written, Patience);

                var cancelled = observed.Watch(caseId, CaseStatus.Cancelled);
                turns?.Enabled = measured;
                t = Stopwatch.GetTimestamp();
                await silo.Admin.PostAsync($"/api/v1/cases/{caseId}/cancel", new { reason = "bench" });
                var replied = Stopwatch.GetTimestamp();
                var seen = await stream.NextAsync("history", e => TypeOf(e) == "case_cancelled", Patience);
                var (at, entry) = await cancelled.WaitAsync(Patience);
                await WaitAllFiredAsync(run, caseId, history);
                turns?.Enabled = false;

                Record(measured, reply, t, replied);
                Record(measured, firstToken, t, run.Fired.Min());
                Record(measured, lastToken, t, run.Fired.Max());
                Record(measured, grain, t, at);
                Record(measured, sse, t, seen.ReadAt);
                if (measured && entry.Measures.TimeToFullTerminationSeconds is { } seconds)
                {
                    measure.Add(TimeSpan.FromSeconds(seconds));
                }

                // Every agent has returned (the case is cancelled, so every acknowledgement was applied); then let the silo settle.
                await WaitUntilAsync(() => probe.Running == 0, "The agents did not finish.");
                await Task.Delay(settle);
            }
        }
        finally
        {
            await host.StopAsync();
        }

        var httpTurns = turns?.Rows(repeats).ToList();
        turns?.Clear();
        var record = turns is null ? null : await RecordCost.MeasureAsync<CaseState>(
            silo.Services, silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICaseGrain>(GrainKeys.Case($"term-{warmup + repeats - 1}")).GetGrainId(), RipcordStorage.CaseState);

        // The same termination with the HTTP edge taken away: grains only.
        var direct = new InProcessAgents(silo.Services.GetRequiredService<IGrainFactory>(), InProcessAgentId);
        await direct.SubscribeAsync();
        var directDefinition = ProcessDefinitionParser.Parse(Definition(tasks, InProcessAgentType)).Definition!;
        var directReply = new Samples("grains only: Cancel Case -> reply");
        var directFirst = new Samples("grains only: Cancel Case -> first signal reached the silo's observer");
        var directLast = new Samples($"grains only: Cancel Case -> last ({tasks}th) signal reached the observer");
        var directCancelled = new Samples("**grains only: Cancel Case -> case grain wrote `cancelled`**");
        var grainFactory = silo.Services.GetRequiredService<IGrainFactory>();
        for (var rep = 0; rep < warmup + repeats; rep++)
        {
            var measured = rep >= warmup;
            Console.Error.WriteLine($"termination, grains only: {(measured ? "run" : "warm-up")} {(measured ? rep - warmup + 1 : rep + 1)}");
            var caseId = $"direct-{rep}";
            var caseGrain = grainFactory.GetGrain<ICaseGrain>(GrainKeys.Case(caseId));
            await caseGrain.Start(new StartCase { Definition = directDefinition, StartedBy = "bench" });
            await Task.WhenAll(directDefinition.Nodes.Select(n => direct.ClaimAsync(caseId, n.Id, Patience)));
            direct.Clear();
            var cancelled = observed.Watch(caseId, CaseStatus.Cancelled);
            turns?.Enabled = measured;
            var t = Stopwatch.GetTimestamp();
            await caseGrain.Cancel(new CancelCase { RequestedBy = "bench", HasAdminRole = true, Reason = "bench" });
            var replied = Stopwatch.GetTimestamp();
            var (at, _) = await cancelled.WaitAsync(Patience);
            turns?.Enabled = false;
            Record(measured, directReply, t, replied);
            Record(measured, directFirst, t, direct.Signals.Min());
            Record(measured, directLast, t, direct.Signals.Max());
            Record(measured, directCancelled, t, at);
            await Task.Delay(settle);
        }

        var commit = store.IsPostgres ? await store.MeasureCommitAsync(100, 1000) : null;
        var call = await OrleansFloor.MeasureAsync(grainFactory, 200, 2000);
        report.Paragraph($$"""
            What is measured: one case of {{tasks}} tasks, all ready at once (no edges); one agent process hosted by the
            agent SDK (`AddRipcordAgent`, one worker with {{tasks}} slots, one signal stream) claims all of them and each
            task's agent waits on its token. Once all {{tasks}} run, the suite opens the case's event stream
            (`GET /api/v1/cases/{id}/events`, read by a minimal SSE reader) and waits until it has caught up, then starts
            the clock and sends Cancel Case (`POST /api/v1/cases/{id}/cancel`, standard mode, no hold). The case grain
            sends a cancel to each task grain; each pushes its signal over the agent's stream; the SDK fires each agent's
            token, the agent returns at once and the SDK acknowledges (`POST .../cancel-ack`, {{tasks}} requests at
            once); each task grain ends and tells the case grain; once every task has ended the case, whose tasks handed
            over no resource, settles without waking its resource registry and is cancelled in that turn. The clock stops when the case
            grain writes its `cancelled` index row (inside its final turn) and, separately, when `case_cancelled` is read
            on the event stream. Real silo, HTTP on loopback; store: {{store.Describe()}}; agents, client and silo share the machine's
            cores. {{repeats}} runs, each on a fresh case, after {{warmup}} warm-up runs; between runs the suite waits until
            every agent has acknowledged, plus {{settle.TotalMilliseconds:F0}} ms.

            Floor, measured in each run before the case starts: one `GET /healthz` then {{tasks}} concurrent ones, from
            a fresh client (the HTTP the termination cannot avoid: the cancel request and one acknowledgement per task).
            The case's own measure is its `timeToFullTerminationSeconds` (from the turn that executed the cancel to the
            turn that closed the case, on the silo's clock). On PostgreSQL also a single-row `INSERT` committed on an
            open connection, measured after the runs: every turn of the termination commits at least one such write.
            Last, a bare Orleans call in the same silo (its grain factory to a warm grain's empty method).
            """);
        var rows = new[] { floor, reply, firstToken, lastToken, grain, sse, measure }.Select(s => s.Summarize()).ToArray();
        report.Table(Summary.MillisecondsHeader, rows.Select(r => r.MillisecondsRow()).Concat(commit is null ? [] : [commit.Summarize().MillisecondsRow()]).Append(call.Summarize().MillisecondsRow()));
        report.Paragraph($$"""
            The same termination with HTTP, SSE and the agent SDK taken away, in the same silo after the runs above: the
            case is started and its {{tasks}} tasks claimed straight on the grains, and the "agents" are an observer
            subscribed to the agent's signal grain as a silo's signal hub is, which acknowledges each signal at once on
            its task grain. Same number of runs, same settling.
            """);
        report.Table(Summary.MillisecondsHeader, new[] { directReply, directFirst, directLast, directCancelled }.Select(s => s.Summarize().MillisecondsRow()));
        var g = rows[4];
        var s = rows[5];
        report.Paragraph($"""
            Goal: p50 <= {goal / 1000} ms. Case grain wrote `cancelled`: p50 {Summary.Ms(g.P50)} ms ({CancelSuite.Verdict(g.P50 <= goal)});
            `case_cancelled` read over SSE: p50 {Summary.Ms(s.P50)} ms ({CancelSuite.Verdict(s.P50 <= goal)}).
            Against the floor (p50): {CancelSuite.Ratio(g.P50, rows[0].P50)} (case grain), {CancelSuite.Ratio(s.P50, rows[0].P50)} (SSE).
            """);
        if (turns is not null)
        {
            report.Heading("Diagnostics: grain calls during the measured window (`--turns`)");
            report.Paragraph("""
                Every grain call entering a grain between sending Cancel Case and the case being cancelled, per run, from
                an incoming grain call filter (which itself adds a little to every call): how long each call took from
                entering its grain until its turn was done, waiting included.
                """);
            report.Paragraph("Over HTTP, with the agent SDK:");
            report.Table(TurnTally.Header, httpTurns!);
            report.Paragraph("Grains only:");
            report.Table(TurnTally.Header, turns.Rows(repeats));
            report.Paragraph($"""
                The case grain's stored record after its last run over HTTP ({tasks} tasks, cancelled), serialized by the
                silo's grain storage serializer as each of its turns does before writing: {record}.
                """);
        }

        await report.PublishAsync(!args.Flag("--no-write"));
    }

    private static string Definition(int tasks, string agentType)
    {
        var nodes = new StringBuilder();
        for (var i = 0; i < tasks; i++)
        {
            nodes.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $$"""{ "id": "t{{i:D3}}", "agent": "{{agentType}}" }""");
        }

        return $$"""{ "name": "{{agentType}}", "heartbeatSeconds": 30, "nodes": [ {{nodes}} ], "edges": [] }""";
    }

    /// <summary>Waits for every agent's token; when one never fires, says which tasks and what their history holds.</summary>
    private static async Task WaitAllFiredAsync(CaseRun run, string caseId, ICaseHistory history)
    {
        try
        {
            await run.AllFired.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            var events = await history.ReadAsync(caseId, 0, 100_000, CancellationToken.None);
            var missing = run.NotFired().ToHashSet(StringComparer.Ordinal);
            var lines = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{caseId}: {run.Describe()}; {missing.Count} agent tokens never fired: {string.Join(", ", missing.Order(StringComparer.Ordinal))}");
            foreach (var e in events.Where(e => e.TaskId is { } id && missing.Contains(id)))
            {
                lines.AppendLine().Append(CultureInfo.InvariantCulture, $"  #{e.Sequence} {e.At:HH:mm:ss.fff} {e.TaskId} {e.Type} by {e.Actor}: {e.Reason} {e.Detail}");
            }

            throw new TimeoutException(lines.ToString());
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Patience)
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(5);
        }
    }

    private static void Record(bool measured, Samples samples, long start, long end)
    {
        if (measured)
        {
            samples.Add(start, end);
        }
    }

    private static string? TypeOf(RawEvent e)
    {
        using var json = JsonDocument.Parse(e.Data);
        return json.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
    }

    /// <summary>One case's agents: when all started, when each token fired.</summary>
    private sealed class CaseRun(int tasks)
    {
        private readonly ConcurrentDictionary<string, bool> _running = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _fired = new(StringComparer.Ordinal);
        private int _started;

        public TaskCompletionSource AllStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource AllFired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentBag<long> Fired { get; } = [];

        public string Describe() => $"{Volatile.Read(ref _started)} runs started for {_running.Count} tasks, {Fired.Count} tokens fired for {_fired.Count} tasks";

        public IEnumerable<string> NotFired() => _running.Keys.Where(id => !_fired.ContainsKey(id));

        public void Started(string taskId)
        {
            _running[taskId] = true;
            if (Interlocked.Increment(ref _started) == tasks)
            {
                AllStarted.TrySetResult();
            }
        }

        public void TokenFired(string taskId, long at)
        {
            _fired[taskId] = true;
            Fired.Add(at);
            if (Fired.Count == tasks)
            {
                AllFired.TrySetResult();
            }
        }
    }

    private sealed class AgentProbe
    {
        private readonly ConcurrentDictionary<string, CaseRun> _runs = new(StringComparer.Ordinal);
        private int _running;

        public int Running => Volatile.Read(ref _running);

        public CaseRun Expect(string caseId, int tasks) => _runs[caseId] = new CaseRun(tasks);

        public CaseRun? Of(string caseId) => _runs.GetValueOrDefault(caseId);

        public void Enter() => Interlocked.Increment(ref _running);

        public void Leave() => Interlocked.Decrement(ref _running);
    }

    /// <summary>Works until its token fires, then stops at once (the SDK acknowledges the cancel).</summary>
    private sealed class StoppingAgent(AgentProbe probe) : IRipcordAgent
    {
        public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
        {
            var run = probe.Of(context.CaseId) ?? throw new InvalidOperationException($"Unexpected case {context.CaseId}.");
            probe.Enter();
            try
            {
                // The agent stops once its own callback has noted the token: a wait on the token itself (a delay) could
                // end the run first and dispose the registration before its callback ran, and the token would look unfired.
                var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var registration = cancellationToken.Register(() =>
                {
                    run.TokenFired(context.TaskId, Stopwatch.GetTimestamp());
                    stopped.TrySetResult();
                });
                run.Started(context.TaskId);
                await stopped.Task;
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }
            finally
            {
                probe.Leave();
            }
        }
    }
}
