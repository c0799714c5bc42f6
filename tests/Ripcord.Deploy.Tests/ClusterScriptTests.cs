using Ripcord.Deploy.Tests.Cluster;

namespace Ripcord.Deploy.Tests;

/// <summary>deploy/local/cluster.sh: its usage errors and messages, without starting anything.</summary>
public sealed class ClusterScriptTests
{
    private static readonly string _emptyState = Path.Combine(Path.GetTempPath(), "ripcord-no-cluster-" + Guid.NewGuid().ToString("N")[..10]);

    [Theory]
    [InlineData(new string[0], 2, "Usage:")]
    [InlineData(new[] { "launch" }, 2, "unknown command 'launch'")]
    [InlineData(new[] { "start", "0" }, 2, "must be 1 to 16")]
    [InlineData(new[] { "start", "three" }, 2, "must be 1 to 16, not 'three'")]
    [InlineData(new[] { "start", "17" }, 2, "must be 1 to 16")]
    [InlineData(new[] { "start", "1", "2" }, 2, "at most one argument")]
    [InlineData(new[] { "kill" }, 2, "kill takes the number of a silo")]
    [InlineData(new[] { "status" }, 3, "no cluster in")]
    [InlineData(new[] { "stop" }, 0, "nothing to stop")]
    [InlineData(new[] { "kill", "2" }, 1, "silo 2 was never started")]
    [InlineData(new[] { "env" }, 1, "run 'cluster.sh start' first")]
    [InlineData(new[] { "help" }, 0, "start [N]")]
    public async Task Command_WithoutACluster_AnswersWithItsExitCodeAndMessage(string[] arguments, int exitCode, string message)
    {
        var result = await RunAsync(arguments);

        Assert.True(exitCode == result.ExitCode, result.ToString());
        Assert.Contains(message, result.All, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_emptyState), "a command that failed or did nothing must not create the state folder");
    }

    [Fact]
    public async Task Start_NoPostgresBinaries_SaysHowToInstallThem()
    {
        var result = await RunAsync(["start", "1"], new Dictionary<string, string?>
        {
            ["RIPCORD_PG_LIB"] = "/nonexistent",
            ["RIPCORD_PG_BIN"] = null,
            ["PATH"] = "/usr/bin:/bin",
        });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("initdb, pg_ctl", result.Error, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql", result.Error, StringComparison.Ordinal);
        Assert.Contains("RIPCORD_PG_BIN", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresBinFolderWithoutTools_NamesTheFolder()
    {
        var result = await RunAsync(["start"], new Dictionary<string, string?> { ["RIPCORD_PG_BIN"] = "/nonexistent/bin" });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("RIPCORD_PG_BIN=/nonexistent/bin holds no initdb and pg_ctl", result.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Scripts_AreShellcheckClean()
    {
        Skip.IfNot(ProcessRunner.OnPath("shellcheck"), "shellcheck is not installed (apt-get install shellcheck)");

        var result = await ProcessRunner.RunAsync("shellcheck", [LocalCluster.Script]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static Task<ProcessResult> RunAsync(string[] arguments, Dictionary<string, string?>? environment = null)
    {
        environment ??= [];
        environment["RIPCORD_CLUSTER_DIR"] = _emptyState;
        return ProcessRunner.RunAsync(LocalCluster.Script, arguments, environment, TimeSpan.FromMinutes(1));
    }
}
