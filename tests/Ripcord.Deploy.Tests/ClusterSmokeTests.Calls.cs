using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ripcord.Deploy.Tests.Cluster;
using Xunit.Abstractions;

namespace Ripcord.Deploy.Tests;

/// <summary>The smoke tests' calls: over HTTP or through the CLI, the waits, and the choice of the silo to kill.</summary>
public sealed partial class ClusterSmokeTests
{
    private static async Task StartCaseAsync(RipcordApi api, RipcordCli? cli, Uri silo, string key, string process, string caseId)
    {
        const string input = """{"topic":"deploy smoke test"}""";
        if (cli is not null)
        {
            await cli.RunAsync(silo, key, "cases", "start", process, "--case-id", caseId, "--input", input);
            return;
        }

        var (status, body) = await api.PostAsync(silo, "/api/v1/cases", key, new { process, caseId, input = JsonDocument.Parse(input).RootElement });
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"POST /api/v1/cases ({process}) answered {(int)status}: {body}");
    }

    private Task CancelTaskAsync(RipcordApi api, RipcordCli? cli, Uri silo, string key, string caseId, string taskId)
    {
        const string reason = "deploy smoke test: fall back to the quick summary";
        return CommandAsync(
            api, cli, silo, key, $"cancelling task {taskId} of {caseId}",
            ["tasks", "cancel", caseId, taskId, "--reason", reason],
            $"/api/v1/cases/{caseId}/tasks/{taskId}/cancel",
            new { reason });
    }

    private Task CancelCaseAsync(RipcordApi api, RipcordCli? cli, Uri silo, string key, string caseId)
    {
        const string reason = "deploy smoke test: cancel the whole case";
        return CommandAsync(
            api, cli, silo, key, $"cancelling case {caseId}",
            ["cases", "cancel", caseId, "--reason", reason],
            $"/api/v1/cases/{caseId}/cancel",
            new { mode = "standard", reason });
    }

    /// <summary>
    /// Sends a command right after a silo was killed: while Orleans has not declared it dead, a call to a grain it
    /// held fails with 503 unavailable ("may or may not have been applied; safe to retry"), so the command is sent
    /// again until it is accepted. After such an answer a conflict means an earlier attempt was applied.
    /// </summary>
    private async Task CommandAsync(RipcordApi api, RipcordCli? cli, Uri silo, string key, string what, string[] cliArguments, string path, object body)
    {
        var clock = Stopwatch.StartNew();
        var uncertain = false;
        while (true)
        {
            string failure;
            if (cli is not null)
            {
                var result = await cli.TryRunAsync(silo, key, cliArguments);
                if (result.ExitCode == 0 || uncertain && result.All.Contains("conflict", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }

                Assert.True(
                    result.ExitCode is RipcordCli.ServerErrorExitCode or RipcordCli.UnreachableExitCode,
                    $"{what} failed: {result}");
                failure = result.ToString();
            }
            else
            {
                var (status, answer) = await TryPostAsync(api, silo, path, key, body);
                if (status is HttpStatusCode.Accepted or HttpStatusCode.OK || uncertain && status == HttpStatusCode.Conflict)
                {
                    return;
                }

                Assert.True(status is null or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"{what} answered {(int?)status}: {answer}");
                failure = $"{(int?)status} {answer}";
            }

            uncertain = true;
            if (clock.Elapsed > _failoverLimit)
            {
                Assert.Fail($"{what} was not accepted within {_failoverLimit.TotalSeconds} s; last answer: {failure}");
            }

            _output.WriteLine($"{what}: not accepted yet after {clock.Elapsed.TotalSeconds:F1} s, sending again");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static async Task<(HttpStatusCode? Status, JsonElement? Body)> TryPostAsync(RipcordApi api, Uri silo, string path, string key, object body)
    {
        try
        {
            return await api.PostAsync(silo, path, key, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, JsonSerializer.SerializeToElement(e.Message));
        }
    }

    private static async Task<HttpStatusCode?> TryGetAsync(RipcordApi api, Uri silo, string path, string? key = null)
    {
        try
        {
            return (await api.GetAsync(silo, path, key)).Status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The silos /api/v1/cluster lists (name, membership status, silo-to-silo address); none while the view cannot
    /// be had (it fails while a killed silo is not yet declared dead).
    /// </summary>
    private static async Task<IReadOnlyList<(string Name, string Status, string Address)>> MembersAsync(RipcordApi api, Uri silo, string key)
    {
        try
        {
            var (status, body) = await api.GetAsync(silo, "/api/v1/cluster", key);
            if (status != HttpStatusCode.OK || body is not { ValueKind: JsonValueKind.Object } view
                || !view.TryGetProperty("silos", out var silos) || silos.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return [.. silos.EnumerateArray().Select(s => (CaseView.Text(s, "siloId") ?? "", CaseView.Text(s, "status") ?? "", CaseView.Text(s, "address") ?? ""))];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return [];
        }
    }

    /// <summary>Checks <paramref name="condition"/> until it holds; the time limit is a safety net.</summary>
    private async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"Waited {limit.TotalSeconds} s for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        _output.WriteLine($"{what}: after {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Polls the case until <paramref name="condition"/> holds; the time limit is a safety net.</summary>
    private async Task<JsonElement> WaitForCaseAsync(RipcordApi api, Uri silo, string key, string caseId, Func<JsonElement, bool> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        JsonElement? last = null;
        while (clock.Elapsed < limit)
        {
            var current = await api.CaseAsync(silo, key, caseId);
            if (current is { } state)
            {
                last = state;
                if (condition(state))
                {
                    _output.WriteLine($"{what}: after {clock.Elapsed.TotalSeconds:F1} s");
                    return state;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Assert.Fail($"Waited {limit.TotalSeconds} s for {what}; case {caseId} was: {last?.ToString() ?? "(never readable)"}");
        throw new UnreachableException();
    }

    /// <summary>
    /// The silo to kill: not one whose simulated cloud holds a VM of <paramref name="investment"/> (the sample cloud
    /// keeps its VMs in the memory of the silo that made them, so a VM on a killed silo could never be released),
    /// and of the others the one /api/v1/cluster says holds the most grain activations (its leasesHeld).
    /// </summary>
    private async Task<int> VictimAsync(RipcordApi api, LocalCluster cluster, string key, string investment)
    {
        var vmHosts = new HashSet<int>();
        for (var i = 1; i <= 3; i++)
        {
            if ((await VmsAsync(api, cluster.SiloUrl(i), investment)).Count > 0)
            {
                vmHosts.Add(i);
            }
        }

        var leases = new Dictionary<string, long>(StringComparer.Ordinal);
        var (status, body) = await api.GetAsync(cluster.SiloUrl(1), "/api/v1/cluster", key);
        if (status == HttpStatusCode.OK && body is { ValueKind: JsonValueKind.Object } view
            && view.TryGetProperty("silos", out var silos) && silos.ValueKind == JsonValueKind.Array)
        {
            foreach (var silo in silos.EnumerateArray())
            {
                if (CaseView.Text(silo, "siloId") is { } id && CaseView.Text(silo, "status") == "active"
                    && silo.TryGetProperty("leasesHeld", out var held) && held.TryGetInt64(out var count))
                {
                    leases[id] = count;
                }
            }
        }

        var victim = Enumerable.Range(1, 3)
            .Where(i => !vmHosts.Contains(i))
            .OrderByDescending(i => leases.GetValueOrDefault(cluster.SiloId(i)))
            .ThenBy(i => i)
            .First();
        _output.WriteLine($"killing silo {victim} ({cluster.SiloId(victim)}, {leases.GetValueOrDefault(cluster.SiloId(victim))} activations); "
            + $"the investment's VMs are on silo(s) {string.Join(", ", vmHosts)}");
        return victim;
    }

    /// <summary>The VMs of a case in a silo's simulated cloud (GET /sim/cloud/vms); none when it has no such cloud.</summary>
    private static async Task<IReadOnlyList<JsonElement>> VmsAsync(RipcordApi api, Uri silo, string caseId)
    {
        var (status, body) = await api.GetAsync(silo, "/sim/cloud/vms");
        if (status != HttpStatusCode.OK || body is not { ValueKind: JsonValueKind.Object } list
            || !list.TryGetProperty("vms", out var vms) || vms.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. vms.EnumerateArray().Where(vm => vm.TryGetProperty("labels", out var labels) && CaseView.Text(labels, "caseId") == caseId)];
    }

    private static Dictionary<int, int> RunningPids(string status) =>
        RunningSilo().Matches(status).ToDictionary(
            m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Whether the process runs; a zombie (killed, not yet reaped by whoever adopted it) does not.</summary>
    private static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
        return state is not ("Z" or "X");
    }

    [GeneratedRegex(@"^silo (\d+) running pid=(\d+) ", RegexOptions.Multiline)]
    private static partial Regex RunningSilo();
}
