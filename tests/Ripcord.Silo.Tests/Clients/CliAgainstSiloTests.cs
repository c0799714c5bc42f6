using System.Text.Json;
using Ripcord.Cli;

namespace Ripcord.Silo.Tests.Clients;

/// <summary>The <c>ripcord</c> CLI against a real silo, in process, with the server and key from the environment.</summary>
public sealed class CliAgainstSiloTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    [Fact]
    public async Task Cli_StartShowCancel_DrivesACaseWithJsonOutput()
    {
        var (startCode, started, _) = await RunAsync(TestKeys.Operator, "cases", "start", "report", "--case-id", "cli-case-1", "--json");
        Assert.Equal(0, startCode);
        Assert.Equal("cli-case-1", JsonDocument.Parse(started).RootElement.GetProperty("caseId").GetString());

        var (showCode, shown, _) = await RunAsync(TestKeys.Viewer, "cases", "show", "cli-case-1", "--json");
        Assert.Equal(0, showCode);
        Assert.Equal("running", JsonDocument.Parse(shown).RootElement.GetProperty("status").GetString());

        var (cancelCode, cancelled, _) = await RunAsync(TestKeys.Operator, "cases", "cancel", "cli-case-1", "--force", "--reason", "withdrawn", "--json");
        Assert.Equal(0, cancelCode);
        Assert.Equal("force_cancelling", JsonDocument.Parse(cancelled).RootElement.GetProperty("status").GetString());

        var (listCode, listed, _) = await RunAsync(TestKeys.Viewer, "cases", "list");
        Assert.Equal(0, listCode);
        Assert.Contains("cli-case-1", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_UnknownCaseAndWrongRole_PrintOneLineNamingTheFault()
    {
        var (missingCode, _, missing) = await RunAsync(TestKeys.Viewer, "cases", "show", "no-such-case");
        Assert.NotEqual(0, missingCode);
        Assert.Contains("no-such-case", missing, StringComparison.Ordinal);

        var (forbiddenCode, _, forbidden) = await RunAsync(TestKeys.Viewer, "cases", "start", "report");
        Assert.NotEqual(0, forbiddenCode);
        Assert.Contains("forbidden", forbidden, StringComparison.OrdinalIgnoreCase);
        Assert.Single(forbidden.Trim().Split('\n'));
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string key, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["RIPCORD_SERVER"] = _silo.Address.ToString(),
            ["RIPCORD_API_KEY"] = key,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await CliApplication.RunAsync(args, output, error, name => environment.GetValueOrDefault(name), timeout.Token);
        return (code, output.ToString(), error.ToString());
    }
}
