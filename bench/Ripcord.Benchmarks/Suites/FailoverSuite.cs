using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ripcord.Benchmarks.Infrastructure;
using Ripcord.Testing.Processes;

namespace Ripcord.Benchmarks.Suites;

/// <summary>
/// A silo SIGKILLed under work: three real silo processes on PostgreSQL, cases whose first task is held by agents;
/// one silo is killed and the agents at once complete their tasks, through the silos left, retrying as docs/api.md
/// says. Measured: seconds from the kill until every case has progressed (its task's completion accepted) and until
/// every case's next task was handed to an agent; beside the floor of the same round, the seconds until the other
/// silos declared the killed one dead.
/// </summary>
internal static class FailoverSuite
{
    private const string Process = "bench-failover";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(Arguments args)
    {
        var rounds = args.Int("--rounds", 5);
        var cases = args.Int("--cases", 30);
        await using var store = await BenchStore.StartAsync(args, defaultKind: "postgres");
        if (!store.IsPostgres)
        {
            throw new ArgumentException("failover runs silo processes on a shared store: --store postgres.");
        }

        var report = new Report("failover" + store.Suffix, "A silo SIGKILLed: seconds until its cases progress again, on PostgreSQL", args.Raw);
        var processes = Path.Combine(Path.GetTempPath(), "ripcord-bench-processes-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(processes);
        await File.WriteAllTextAsync(Path.Combine(processes, Process + ".json"), $$"""
            { "name": "{{Process}}", "leaseSeconds": 600, "nodes": [ { "id": "a", "agent": "{{Process}}" }, { "id": "b", "agent": "{{Process}}" } ], "edges": [ ["a", "b"] ] }
            """);
        var settings = store.NewClusterSettings();
        settings["Ripcord:Cluster:ClusterId"] = "bench-failover";
        settings["Ripcord:Cluster:ServiceId"] = "bench-failover";
        settings["Ripcord:Processes:Path"] = processes;
        settings["Ripcord:SampleAgents:Enabled"] = "false";
        settings["Ripcord:Auth:ApiKeys:0:Key"] = BenchSilo.AdminKey;
        settings["Ripcord:Auth:ApiKeys:0:Principal"] = "bench";
        settings["Ripcord:Auth:ApiKeys:0:Roles:0"] = "admin";
        settings["Ripcord:Auth:ApiKeys:1:Key"] = BenchSilo.AgentKey;
        settings["Ripcord:Auth:ApiKeys:1:Principal"] = "bench-agents";
        settings["Ripcord:Auth:ApiKeys:1:Roles:0"] = "agent";
        var silos = new SiloProcess[3];
        var declared = new Samples("floor: kill -> declared dead by the other silos (their cluster view)");
        var first = new Samples("kill -> first case progressed (its task's completion accepted)");
        var all = new Samples("**kill -> every case progressed**");
        var ready = new Samples("kill -> every case's next task ready (the time its history gives)");
        var next = new Samples("kill -> every case's next task handed to an agent");
        try
        {
            for (var i = 0; i < silos.Length; i++)
            {
                silos[i] = await StartSiloAsync(settings, i);
            }

            for (var round = 0; round < rounds; round++)
            {
                var victim = 1 + (round % 2);
                Console.Error.WriteLine($"failover: round {round + 1}, killing silo {victim + 1}");
                var result = await RunRoundAsync(silos, victim, round, cases);
                declared.Add(result.Declared);
                first.Add(result.First);
                all.Add(result.All);
                ready.Add(result.Ready);
                next.Add(result.Next);
                await silos[victim].DisposeAsync();
                silos[victim] = await StartSiloAsync(settings, victim);
            }
        }
        finally
        {
            foreach (var silo in silos.Where(s => s is not null))
            {
                await silo.DisposeAsync();
            }

            Directory.Delete(processes, recursive: true);
        }

        report.Paragraph($$"""
            What is measured: three silo processes (`Ripcord.Silo.dll`, as `src/Silo` runs) in one cluster on
            PostgreSQL, Ripcord's default failure detection (probe timeout 1 s, two missed probes) and
            recovery period (10 s). Each of {{rounds}} rounds starts {{cases}} cases of two tasks in a row (`a` then `b`) and has agents claim
            every `a` (six agents polling at once), through all three silos; then silo 2 or 3 (in turn) is SIGKILLed and, at once, every agent
            completes its `a` on a live silo, sending again what fails (no answer, or 503) after 100 ms as a client
            following docs/api.md does. A case has progressed when its completion is accepted; its next task is ready
            when its task grain records `task_ready` (the time in the case's history; the silos share this machine's
            clock), and handed over when an agent's poll gets its `b` (six agents polling at once again; the round's
            figure is the last handover, not the end of the other agents' polls still waiting then). The killed silo is started again before the next round. Store:
            {{store.Describe()}}.
            """);
        var rows = new[] { declared, first, all, ready, next }.Select(s => s.Summarize()).ToArray();
        report.Table(["measurement", "rounds", "p50 s", "p90 s", "p99 s", "max s", "mean s"], rows.Select(Seconds));
        report.Paragraph($"""
            Goal: <= 5 s until the cases progress again. Every case progressed: p50 {Sec(rows[2].P50)} s
            ({CancelSuite.Verdict(rows[2].P50 <= 5_000_000)}), worst round {Sec(rows[2].Max)} s.
            """);
        await report.PublishAsync(!args.Flag("--no-write"));
    }

    private static string[] Seconds(Summary s) =>
        [s.Name, s.Count.ToString(CultureInfo.InvariantCulture), Sec(s.P50), Sec(s.P90), Sec(s.P99), Sec(s.Max), Sec(s.Mean)];

    private static string Sec(double micros) => (micros / 1_000_000).ToString("F2", CultureInfo.InvariantCulture);

    private static async Task<SiloProcess> StartSiloAsync(Dictionary<string, string?> shared, int index)
    {
        var settings = new Dictionary<string, string?>(shared)
        {
            ["Ripcord:Cluster:SiloName"] = $"failover-{index + 1}",
            ["Ripcord:Cluster:SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Ripcord:Cluster:GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
        };
        return await SiloProcess.StartAsync($"failover-{index + 1}", settings);
    }

    private static async Task<(TimeSpan Declared, TimeSpan First, TimeSpan All, TimeSpan Ready, TimeSpan Next)> RunRoundAsync(SiloProcess[] silos, int victim, int round, int cases)
    {
        var ids = Enumerable.Range(0, cases).Select(i => $"fo-{round}-{i}").ToArray();
        for (var i = 0; i < cases; i++)
        {
            await SendAsync(silos, i, HttpMethod.Post, "/api/v1/cases", BenchSilo.AdminKey, new { process = Process, caseId = ids[i] });
        }

        var leases = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Task.WhenAll(Enumerable.Range(0, 6).Select(agent => Task.Run(async () =>
        {
            for (var poll = agent; leases.Count < cases; poll++)
            {
                var claim = await SendAsync(silos, poll, HttpMethod.Post, $"/api/v1/agents/fo-agent-{agent}/poll", BenchSilo.AgentKey, new { agents = new[] { Process }, waitSeconds = 1 });
                if (claim is { } task && task.GetProperty("taskId").GetString() == "a")
                {
                    leases[task.GetProperty("caseId").GetString()!] = task.GetProperty("leaseToken").GetString()!;
                }
            }
        })));

        var clock = Stopwatch.StartNew();
        var killedAt = DateTimeOffset.UtcNow;
        silos[victim].Kill();
        var live = silos.Where((_, i) => i != victim).ToArray();
        var detection = WaitUntilDeclaredDeadAsync(live[0], silos[victim].Name, clock);
        var progressed = new TimeSpan[cases];
        await Task.WhenAll(ids.Select((id, i) => Task.Run(async () =>
        {
            await SendUntilAnsweredAsync(live, i, HttpMethod.Post, $"/api/v1/tasks/{id}/a/complete", BenchSilo.AgentKey, new { leaseToken = leases[id], output = new { round } });
            progressed[i] = clock.Elapsed;
        })));
        // Six agents poll at once, as the claims before the kill did, until every next task was handed over: the time of
        // the last handover, not of the other agents' long polls that are still waiting then.
        var handed = 0;
        var next = TimeSpan.Zero;
        await Task.WhenAll(Enumerable.Range(0, 6).Select(agent => Task.Run(async () =>
        {
            for (var poll = agent; Volatile.Read(ref handed) < cases; poll++)
            {
                try
                {
                    var claim = await SendAsync(live, poll, HttpMethod.Post, $"/api/v1/agents/fo-agent-{agent}/poll", BenchSilo.AgentKey, new { agents = new[] { Process }, waitSeconds = 1 });
                    if (claim is { } task && task.GetProperty("taskId").GetString() == "b")
                    {
                        if (Interlocked.Increment(ref handed) == cases)
                        {
                            next = clock.Elapsed;
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
                {
                    await Task.Delay(100);
                }

                if (clock.Elapsed > Patience)
                {
                    throw new TimeoutException($"Only {Volatile.Read(ref handed)} of {cases} next tasks were handed over.");
                }
            }
        })));

        // The last of the next tasks to get ready, by the time its task grain recorded in the case's history.
        var readyAt = DateTimeOffset.MinValue;
        foreach (var id in ids)
        {
            var view = await SendAsync(live, 0, HttpMethod.Get, $"/api/v1/cases/{id}", BenchSilo.AdminKey, null);
            var at = view!.Value.GetProperty("history").EnumerateArray()
                .Where(e => e.GetProperty("type").GetString() == "task_ready" && e.TryGetProperty("taskId", out var task) && task.GetString() == "b")
                .Select(e => e.GetProperty("at").GetDateTimeOffset())
                .Single();
            readyAt = at > readyAt ? at : readyAt;
        }

        return (await detection, progressed.Min(), progressed.Max(), readyAt - killedAt, next);
    }

    private static async Task<TimeSpan> WaitUntilDeclaredDeadAsync(SiloProcess observer, string name, Stopwatch clock)
    {
        while (clock.Elapsed < Patience)
        {
            try
            {
                var view = await SendAsync([observer], 0, HttpMethod.Get, "/api/v1/cluster", BenchSilo.AdminKey, null);
                var entry = view!.Value.GetProperty("silos").EnumerateArray()
                    .Where(e => e.GetProperty("siloId").GetString() == name)
                    .OrderByDescending(e => e.GetProperty("startedAt").GetDateTimeOffset())
                    .First();
                if (entry.GetProperty("status").GetString() == "dead")
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{name} was not declared dead.");
    }

    /// <summary>Sends until a silo answers below 500, moving to the next silo after each failure.</summary>
    private static async Task SendUntilAnsweredAsync(SiloProcess[] silos, int turn, HttpMethod method, string path, string key, object body)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await SendAsync(silos, turn + attempt, method, path, key, body);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException { Data.Count: > 0 })
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>One call to silo <c>turn mod n</c>; the JSON answer, null for 204; throws on 5xx (marked retryable) or another refusal.</summary>
    private static async Task<JsonElement?> SendAsync(SiloProcess[] silos, int turn, HttpMethod method, string path, string key, object? body)
    {
        var silo = silos[(int)((uint)turn % silos.Length)];
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await silo.Http.SendAsync(request);
        if ((int)response.StatusCode >= 500)
        {
            var error = new InvalidOperationException($"{path} on {silo.Name} answered {(int)response.StatusCode}");
            error.Data["retry"] = true;
            throw error;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} on {silo.Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response.StatusCode == HttpStatusCode.NoContent ? null : await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
