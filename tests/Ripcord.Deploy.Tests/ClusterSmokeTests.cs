using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ripcord.Deploy.Tests.Cluster;
using Xunit.Abstractions;

namespace Ripcord.Deploy.Tests;

/// <summary>
/// The CI smoke test of issue 7: deploy/local/cluster.sh with three Orleans silos on one PostgreSQL; the report and
/// investment scenarios through the CLI with one silo SIGKILLed midway; a clean stop. Every wait is on a state
/// (readiness, a case's status, a silo's membership status) with a time limit as a safety net only: Orleans takes
/// several seconds to declare a killed silo dead (its probes must miss, and the survivors vote), and until then
/// calls to the grains it held fail, so the limits are generous.
/// Run alone: dotnet test tests/Ripcord.Deploy.Tests --filter FullyQualifiedName~ClusterSmokeTests
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ClusterSmokeTests
{
    private static readonly string[] _roles = ["admin", "operator", "viewer", "agent"];
    private static readonly string[] _terminalTaskStatuses = ["cancelled", "completed", "failed", "skipped"];
    private static readonly string[] _terminalCaseStatuses = ["cancelled", "completed", "failed"];

    // Safety nets. Failover: until Orleans declares the killed silo dead, calls to the grains it held fail (503).
    private static readonly TimeSpan _failoverLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan _midwayLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan _endLimit = TimeSpan.FromMinutes(5);

    private readonly ITestOutputHelper _output;

    public ClusterSmokeTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Cluster_StartStatusKillRestartStop_ManagesEveryProcessByItsId()
    {
        await using var cluster = await LocalCluster.CreateAsync(3, _output);
        using var api = new RipcordApi();

        // start printed every silo's URL and every key; each silo is alive, ready under its own name and knows the keys.
        var printed = cluster.StartResult!.Output;
        var ports = new HashSet<int>();
        for (var i = 1; i <= 3; i++)
        {
            var url = cluster.SiloUrl(i);
            Assert.Equal($"silo-{i}", cluster.SiloId(i));
            Assert.Contains(url.ToString().TrimEnd('/'), printed, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(url, "/healthz")).Status);
            var (readyStatus, ready) = await api.GetAsync(url, "/readyz");
            Assert.Equal(HttpStatusCode.OK, readyStatus);
            Assert.Equal(cluster.SiloId(i), CaseView.Text(ready!.Value, "silo"));
            Assert.True(ports.Add(url.Port) && ports.Add(cluster.SiloPort(i)) && ports.Add(cluster.GatewayPort(i)), "every silo needs ports of its own");
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync(url, "/api/v1/me")).Status);
        }

        // One Orleans cluster: every silo sees all three active, each at its own silo-to-silo port.
        for (var i = 1; i <= 3; i++)
        {
            var members = await MembersAsync(api, cluster.SiloUrl(i), cluster.Key("viewer"));
            for (var j = 1; j <= 3; j++)
            {
                Assert.Contains(($"silo-{j}", "active", $"127.0.0.1:{cluster.SiloPort(j)}"), members);
            }

            Assert.Equal(3, members.Count);
        }

        foreach (var role in _roles)
        {
            Assert.Contains(cluster.Key(role), printed, StringComparison.Ordinal);
            var (status, me) = await api.GetAsync(cluster.SiloUrl(3), "/api/v1/me", cluster.Key(role));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("local-" + role, CaseView.Text(me!.Value, "principal"));
            Assert.Equal([role], me.Value.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        }

        // status: everything runs.
        var status1 = await cluster.RunAsync("status");
        Assert.True(status1.ExitCode == 0, status1.ToString());
        Assert.Contains("postgres running", status1.Output, StringComparison.Ordinal);
        var pids = RunningPids(status1.Output);
        Assert.Equal([1, 2, 3], pids.Keys.Order());

        // start again: nothing restarts.
        var again = await cluster.RunAsync(TimeSpan.FromMinutes(5), "start", "3");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(pids, RunningPids((await cluster.RunAsync("status")).Output));

        // kill 2: SIGKILL by recorded pid; status reports it dead, the others run on.
        var url2 = cluster.SiloUrl(2);
        var kill = await cluster.RunAsync("kill", "2");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Assert.Contains($"silo 2 killed (SIGKILL, pid {pids[2]})", kill.Output, StringComparison.Ordinal);
        Assert.False(IsRunning(pids[2]), "silo 2's process must be gone after kill");
        var degraded = await cluster.RunAsync("status");
        Assert.True(degraded.ExitCode == 1, degraded.ToString());
        Assert.Contains("silo 2 dead", degraded.Output, StringComparison.Ordinal);
        Assert.Equal([1, 3], RunningPids(degraded.Output).Keys.Order());
        await Assert.ThrowsAsync<HttpRequestException>(() => api.GetAsync(url2, "/healthz"));

        // The survivors declare silo 2 dead (Orleans' membership on PostgreSQL) and stay ready.
        var viewer = cluster.Key("viewer");
        await WaitForAsync(
            async () => (await MembersAsync(api, cluster.SiloUrl(1), viewer)).Contains(("silo-2", "dead", $"127.0.0.1:{cluster.SiloPort(2)}")),
            _failoverLimit,
            "silo 1 to see silo 2 declared dead");
        await WaitForAsync(async () => (await TryGetAsync(api, cluster.SiloUrl(1), "/readyz")) == HttpStatusCode.OK, _failoverLimit, "silo 1 ready without silo 2");
        await WaitForAsync(async () => (await TryGetAsync(api, cluster.SiloUrl(3), "/readyz")) == HttpStatusCode.OK, _failoverLimit, "silo 3 ready without silo 2");

        // start brings silo 2 back, under its name on its old URL and ports, as a new process; 1 and 3 are left alone.
        var siloPort2 = cluster.SiloPort(2);
        var restart = await cluster.RunAsync(TimeSpan.FromMinutes(5), "start", "3");
        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.Equal(url2, cluster.SiloUrl(2));
        Assert.Equal(siloPort2, cluster.SiloPort(2));
        var (ready2, readyBody2) = await api.GetAsync(url2, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready2);
        Assert.Equal("silo-2", CaseView.Text(readyBody2!.Value, "silo"));
        await WaitForAsync(
            async () => (await MembersAsync(api, cluster.SiloUrl(3), viewer)).Count(m => m.Status == "active") == 3,
            _failoverLimit,
            "silo 3 to see three active silos again");
        var restarted = RunningPids((await cluster.RunAsync("status")).Output);
        Assert.Equal(pids[1], restarted[1]);
        Assert.Equal(pids[3], restarted[3]);
        Assert.NotEqual(pids[2], restarted[2]);

        // stop: every silo drains on SIGTERM (none needs SIGKILL), then PostgreSQL; stop again is a no-op.
        var stop = await cluster.RunAsync("stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        for (var i = 1; i <= 3; i++)
        {
            Assert.Contains($"silo {i} stopped gracefully", stop.Output, StringComparison.Ordinal);
            Assert.False(IsRunning(restarted[i]), $"silo {i}'s process must be gone after stop");
        }

        Assert.DoesNotContain("SIGKILL", stop.Output, StringComparison.Ordinal);
        Assert.Contains("postgres stopped", stop.Output, StringComparison.Ordinal);
        var stopped = await cluster.RunAsync("status");
        Assert.True(stopped.ExitCode == 3, stopped.ToString());
        Assert.DoesNotContain("running", stopped.Output, StringComparison.Ordinal);
        var stopAgain = await cluster.RunAsync("stop");
        Assert.True(stopAgain.ExitCode == 0, stopAgain.ToString());
    }

    /// <summary>
    /// The case API and the sample agents on three silos sharing PostgreSQL: one silo (not the one holding the
    /// investment's VMs) is SIGKILLed midway, and the cancels go to a survivor.
    /// </summary>
    [Fact]
    public async Task ReportAndInvestment_OneSiloKilledMidway_EndAsTheyShould()
    {
        await using var cluster = await LocalCluster.CreateAsync(3, _output);
        using var api = new RipcordApi();
        var entry = cluster.SiloUrl(1);
        Assert.True(await api.ServesCasesAsync(entry), "the silo's OpenAPI document lists no /api/v1/cases");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(entry, "/sim/cloud/vms")).Status);
        var cli = await RipcordCli.BuildAsync(Path.Combine(cluster.StateDirectory, "cli"), _output);
        _output.WriteLine(cli is null ? "No CLI project: driving the scenarios over HTTP." : "Driving the scenarios through the ripcord CLI.");

        var operatorKey = cluster.Key("operator");
        var adminKey = cluster.Key("admin");
        var viewerKey = cluster.Key("viewer");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var report = "smoke-report-" + suffix;
        var investment = "smoke-investment-" + suffix;

        await StartCaseAsync(api, cli, entry, operatorKey, "report", report);
        await StartCaseAsync(api, cli, entry, operatorKey, "investment", investment);

        // Midway: the report's generator runs; the investment's analyses run and hold resources.
        await WaitForCaseAsync(api, entry, viewerKey, report, c => CaseView.TaskStatus(c, "generate") == "running", _midwayLimit, "the report's generate task running");
        await WaitForCaseAsync(
            api, entry, viewerKey, investment,
            c => CaseView.Tasks(c).Any(t => CaseView.Text(t, "status") == "running") && CaseView.Resources(c).Any(r => CaseView.Text(r, "status") == "held"),
            _midwayLimit,
            "an investment task running with a resource held");

        var victim = await VictimAsync(api, cluster, viewerKey, investment);
        var kill = await cluster.RunAsync("kill", victim.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(kill.ExitCode == 0, kill.ToString());
        var survivor = cluster.SiloUrl(victim == 1 ? 2 : 1);

        // Cancel Activity on the generator: the report follows onCancel to the quick summary.
        await CancelTaskAsync(api, cli, survivor, adminKey, report, "generate");

        // Cancel Case on the investment: every task stops, every resource is released.
        await CancelCaseAsync(api, cli, survivor, adminKey, investment);

        // The quick summary starts within the generator's checkpoint wait (2 s) whether or not the generator, whose
        // agent may have died with its silo, acknowledges: the report can complete before the generator's ladder fences it.
        var reportEnd = await WaitForCaseAsync(
            api, survivor, viewerKey, report,
            c => _terminalCaseStatuses.Contains(CaseView.Status(c)) && _terminalTaskStatuses.Contains(CaseView.TaskStatus(c, "generate") ?? ""),
            _endLimit,
            "the report to end and its generator to stop");
        Assert.Equal("completed", CaseView.Status(reportEnd));
        Assert.Equal("cancelled", CaseView.TaskStatus(reportEnd, "generate"));
        Assert.Equal("completed", CaseView.TaskStatus(reportEnd, "summary"));
        var summary = CaseView.Task(reportEnd, "summary")!.Value;
        Assert.True(CaseView.HasValue(summary, "output"), "the quick summary produced no output");
        Assert.True(CaseView.HasValue(reportEnd, "output"), "the report completed without output");
        Assert.True(
            JsonElement.DeepEquals(summary.GetProperty("output"), reportEnd.GetProperty("output")),
            $"the report's output should be the quick summary's: {reportEnd.GetProperty("output")} vs {summary.GetProperty("output")}");

        var investmentEnd = await WaitForCaseAsync(
            api, survivor, viewerKey, investment,
            c => _terminalCaseStatuses.Contains(CaseView.Status(c)) && CaseView.Resources(c).All(r => CaseView.Text(r, "status") is "released" or "orphaned"),
            _endLimit,
            "the investment to end with its resources settled");
        Assert.Equal("cancelled", CaseView.Status(investmentEnd));
        Assert.NotEmpty(CaseView.Resources(investmentEnd));
        Assert.All(CaseView.Resources(investmentEnd), r => Assert.Equal("released", CaseView.Text(r, "status")));
        Assert.All(CaseView.Tasks(investmentEnd), t => Assert.Contains(CaseView.Text(t, "status"), _terminalTaskStatuses));

        // And the cloud agrees: every VM the investment provisioned is released there, not only in the registry.
        for (var i = 1; i <= 3; i++)
        {
            if (i != victim)
            {
                Assert.All(await VmsAsync(api, cluster.SiloUrl(i), investment), vm => Assert.Equal("released", CaseView.Text(vm, "state")));
            }
        }

        var stop = await cluster.RunAsync("stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.DoesNotContain("SIGKILL", stop.Output, StringComparison.Ordinal);
        Assert.Equal(3, (await cluster.RunAsync("status")).ExitCode);
    }
}
