using System.Text.Json;
using Ripcord.Client.Tests.Fakes;

namespace Ripcord.Cli.Tests;

public sealed partial class CliTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> _environment = [];
    private FakeRipcordServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRipcordServer.StartAsync();
        _environment["RIPCORD_SERVER"] = _server.BaseAddress.ToString();
        _environment["RIPCORD_API_KEY"] = "op-key";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(FakeRipcordServer.SafetyTimeout);
        var exitCode = await CliApplication.RunAsync(args, output, error, name => _environment.GetValueOrDefault(name), timeout.Token);
        return (exitCode, output.ToString(), error.ToString());
    }

    public static TheoryData<int, string, int, string> Problems => new()
    {
        { 400, "invalid_request", 7, "the server rejected the request (invalid_request): boom" },
        { 403, "forbidden", 4, "forbidden (403): this API key lacks the rights for that call: boom" },
        { 404, "case_not_found", 5, "case not found (case_not_found): boom" },
        { 404, "task_not_found", 5, "task not found (task_not_found): boom" },
        { 404, "process_not_found", 5, "process not found (process_not_found): boom" },
        { 409, "conflict", 6, "conflict with the case's current state (conflict): boom" },
        { 409, "lease_lost", 6, "the task's lease was fenced or moved (lease_lost): boom" },
        { 409, "task_cancelled", 6, "the task was already cancelled (task_cancelled): boom" },
        { 401, "unauthenticated", 4, "unauthenticated (401): the server does not know this API key: boom. Check --api-key or RIPCORD_API_KEY." },
        { 500, "internal", 8, "the server failed (internal, HTTP 500): boom" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task CasesCancel_ProblemCode_OneLineMessageAndExitCode(int status, string code, int expectedExit, string expectedMessage)
    {
        _server.OnProblem("POST", "/api/v1/cases/{caseId}/cancel", status, code, "boom");

        var (exitCode, output, error) = await RunAsync("cases", "cancel", "c-1");

        Assert.Equal(expectedExit, exitCode);
        Assert.Empty(output);
        Assert.Equal("ripcord: " + expectedMessage, error.TrimEnd());
    }

    [Fact]
    public async Task NoApiKey_Unauthenticated_SaysHowToGiveOne()
    {
        _environment.Remove("RIPCORD_API_KEY");
        _server.RequiredApiKey = "op-key";

        var (exitCode, _, error) = await RunAsync("cases", "list");

        Assert.Equal(4, exitCode);
        Assert.Equal("ripcord: unauthenticated (401): no API key given. Pass --api-key or set RIPCORD_API_KEY.", error.Trim());
    }

    [Fact]
    public async Task Flags_OverrideEnvironment()
    {
        _environment["RIPCORD_SERVER"] = "http://127.0.0.1:1/";
        _environment["RIPCORD_API_KEY"] = "env-key";

        var (exitCode, _, _) = await RunAsync("cases", "list", "--server", _server.BaseAddress.ToString(), "--api-key", "flag-key");

        Assert.Equal(0, exitCode);
        Assert.Equal("Bearer flag-key", (await _server.WaitForRequestAsync("GET", "/api/v1/cases")).Authorization);
    }

    [Fact]
    public async Task ConnectionRefused_ExitsThreeNamingTheServer()
    {
        var address = _server.BaseAddress.ToString();
        await _server.DisposeAsync();
        _server = await FakeRipcordServer.StartAsync();

        var (exitCode, _, error) = await RunAsync("cases", "list", "--server", address);

        Assert.Equal(3, exitCode);
        Assert.Equal($"ripcord: cannot connect to the Ripcord server at {address} (connection refused). Is it running? Set --server or RIPCORD_SERVER.", error.Trim());
    }

    [Fact]
    public async Task BadServerUrl_UsageError()
    {
        var (exitCode, _, error) = await RunAsync("cases", "list", "--server", "localhost:5000");

        Assert.Equal(2, exitCode);
        Assert.Contains("is not an http:// or https:// URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingArgument_UsageErrorPointsToHelp()
    {
        var (exitCode, _, error) = await RunAsync("cases", "cancel");

        Assert.Equal(2, exitCode);
        Assert.Contains("Required argument missing", error, StringComparison.Ordinal);
        Assert.Contains("Run 'ripcord cases cancel --help' for usage.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegativeHold_UsageError()
    {
        var (exitCode, _, error) = await RunAsync("cases", "cancel", "c-1", "--hold", "-1");

        Assert.Equal(2, exitCode);
        Assert.Contains("--hold cannot be negative.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoAmI_PrintsPrincipalAndRoles()
    {
        var (exitCode, output, _) = await RunAsync("whoami");

        Assert.Equal(0, exitCode);
        Assert.Equal($"alice at {_server.BaseAddress}: operator, viewer", output.Trim());
    }

    [Fact]
    public async Task Help_ListsCommands()
    {
        var (exitCode, output, _) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("cases", output, StringComparison.Ordinal);
        Assert.Contains("processes", output, StringComparison.Ordinal);
    }
}
