using System.Diagnostics;
using System.Net;
using Ripcord.Silo.Tests.Api;
using Ripcord.Testing.Postgres;
using Ripcord.Testing.Processes;
using Xunit.Abstractions;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>
/// Real silo processes on one schema of the test PostgreSQL, and a client that calls them the way docs/api.md tells
/// clients to: round robin over the silos that serve, and a call that failed (no answer, or 5xx) sent again to the
/// next one after a short pause.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    /// <summary>A safety net, never the expected time: how long a client keeps retrying one call.</summary>
    public static readonly TimeSpan CallSafetyNet = TimeSpan.FromMinutes(3);

    private readonly List<SiloProcess> _silos = [];
    private readonly ITestOutputHelper _output;
    private int _retried;

    private ProcessCluster(ITestOutputHelper output, string processes)
    {
        _output = output;
        Processes = processes;
    }

    /// <summary>The folder of process definitions every silo reads (<c>Ripcord:Processes:Path</c>).</summary>
    public string Processes { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>Calls sent again because the one before failed.</summary>
    public int Retried => Volatile.Read(ref _retried);

    /// <summary>Writes the process definitions, then starts <paramref name="count"/> silos one after the other.</summary>
    public static async Task<ProcessCluster> StartAsync(PostgresFixture fixture, ITestOutputHelper output, IReadOnlyDictionary<string, string> definitions, int count = 3, Action<Dictionary<string, string?>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        ArgumentNullException.ThrowIfNull(definitions);
        var processes = Path.Combine(Path.GetTempPath(), "ripcord-processes-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(processes);
        foreach (var (name, json) in definitions)
        {
            await File.WriteAllTextAsync(Path.Combine(processes, name + ".json"), json);
        }

        var cluster = new ProcessCluster(output, processes);
        try
        {
            var schema = fixture.NewSchema();
            var clusterId = RunningSilo.NewClusterId("proc");
            var clock = Stopwatch.StartNew();
            for (var i = 1; i <= count; i++)
            {
                var settings = PostgresSilos.Settings(fixture, schema, clusterId, $"proc-{i}");
                settings["Ripcord:Processes:Path"] = processes;
                configure?.Invoke(settings);
                cluster._silos.Add(await SiloProcess.StartAsync($"proc-{i}", settings));
                output.WriteLine($"proc-{i} ready after {clock.Elapsed.TotalSeconds:F1}s");
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>
    /// SIGTERM to silo <paramref name="index"/>, then the same silo (name, ports, settings) started again; returns
    /// the log lines of the stopped silo that contain <paramref name="watch"/>.
    /// </summary>
    public async Task<int> RestartAsync(int index, string watch)
    {
        var old = _silos[index];
        var clock = Stopwatch.StartNew();
        await old.TerminateAsync(TimeSpan.FromMinutes(2));
        var stopped = clock.Elapsed;
        var watched = old.CountLines(watch);
        await old.DisposeAsync();
        _silos[index] = await SiloProcess.StartAsync(old.Name, old.Settings);
        _output.WriteLine($"{old.Name}: stopped by SIGTERM in {stopped.TotalSeconds:F1}s, ready again {clock.Elapsed.TotalSeconds:F1}s after the signal");
        return watched;
    }

    /// <summary>Calls the <paramref name="turn"/>-th silo (round robin), or the next one that serves.</summary>
    public async Task<ApiCall.Reply> CallAsync(int turn, HttpMethod method, string path, string key, object? body)
    {
        var silos = _silos.ToArray();
        for (var i = 0; i < silos.Length; i++)
        {
            var silo = silos[(int)((uint)(turn + i) % silos.Length)];
            if (silo.IsServing)
            {
                return await ClusterCalls.SendAsync(silo.Http, method, path, key, body);
            }
        }

        throw new InvalidOperationException("No silo serves.");
    }

    /// <summary>
    /// Sends the call until a silo answers it with less than 500 (a 503 is a grain call the silo was unsure of; no
    /// answer is a silo that went away), moving to the next silo after each failure and pausing briefly; gives the
    /// last answer after the safety net.
    /// </summary>
    public async Task<ApiCall.Reply> CallUntilAnsweredAsync(int turn, HttpMethod method, string path, string key, object? body)
    {
        var deadline = DateTimeOffset.UtcNow + CallSafetyNet;
        for (var attempt = 1; ; attempt++)
        {
            ApiCall.Reply reply;
            try
            {
                reply = await CallAsync(turn + attempt - 1, method, path, key, body);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                reply = new ApiCall.Reply(HttpStatusCode.ServiceUnavailable, null, e.Message);
            }

            if ((int)reply.Status < 500 || DateTimeOffset.UtcNow > deadline)
            {
                return reply;
            }

            Interlocked.Increment(ref _retried);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)));
        }
    }

    /// <summary>
    /// Waits until a serving silo's cluster view shows <paramref name="silo"/> (its latest start) as dead; returns
    /// how long that took. Polls the view: membership changes have no feed in the API.
    /// </summary>
    public async Task<TimeSpan> WaitUntilDeclaredDeadAsync(SiloProcess silo, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < within)
        {
            var observer = _silos.FirstOrDefault(s => s != silo && s.IsServing);
            if (observer is not null)
            {
                try
                {
                    var view = await ClusterCalls.SendAsync(observer.Http, HttpMethod.Get, "/api/v1/cluster", TestKeys.Viewer);
                    if (view.Status == HttpStatusCode.OK)
                    {
                        var entry = view.Body.GetProperty("silos").EnumerateArray()
                            .Where(e => e.GetProperty("siloId").GetString() == silo.Name)
                            .OrderByDescending(e => e.GetProperty("startedAt").GetDateTimeOffset())
                            .FirstOrDefault();
                        last = entry.ValueKind == System.Text.Json.JsonValueKind.Object ? entry.GetProperty("status").GetString()! : "absent";
                        if (last == "dead")
                        {
                            return clock.Elapsed;
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = e.Message;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"{silo.Name} not declared dead within {within} (last seen: {last})");
    }

    /// <summary>A silo that serves now, to read from.</summary>
    public SiloProcess AnyServing() => _silos.First(s => s.IsServing);

    public async ValueTask DisposeAsync()
    {
        var clock = Stopwatch.StartNew();
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        Directory.Delete(Processes, recursive: true);
        _output.WriteLine($"silos stopped in {clock.Elapsed.TotalSeconds:F1}s");
    }
}
