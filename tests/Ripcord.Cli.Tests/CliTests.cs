using System.Text.Json;
using Ripcord.Client.Tests.Fakes;

namespace Ripcord.Cli.Tests;

public sealed class CliTests : IAsyncLifetime
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

    [Fact]
    public async Task CasesList_Table_ShowsEveryCaseWithBearerKeyFromEnvironment()
    {
        var (exitCode, output, error) = await RunAsync("cases", "list");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Contains("CASE", output, StringComparison.Ordinal);
        Assert.Matches(@"c-1\s+report\s+running", output);
        Assert.Matches(@"c-2\s+report\s+cancelled", output);
        Assert.Equal("Bearer op-key", (await _server.WaitForRequestAsync("GET", "/api/v1/cases")).Authorization);
    }

    [Fact]
    public async Task CasesList_Json_ParsesWithSnakeCaseStatuses()
    {
        var (exitCode, output, _) = await RunAsync("cases", "list", "--json");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        var cases = document.RootElement.GetProperty("cases");
        Assert.Equal("c-1", cases[0].GetProperty("caseId").GetString());
        Assert.Equal("cancelled", cases[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task CasesList_Filters_SentAsQueryString()
    {
        var (exitCode, _, _) = await RunAsync("cases", "list", "--status", "cancel_pending", "--process", "report", "--limit", "5", "--after", "p2");

        Assert.Equal(0, exitCode);
        Assert.Equal("?status=cancel_pending&process=report&limit=5&after=p2", (await _server.WaitForRequestAsync("GET", "/api/v1/cases")).Query);
    }

    [Fact]
    public async Task CasesList_UnknownStatus_UsageErrorWithoutCallingServer()
    {
        var (exitCode, _, error) = await RunAsync("cases", "list", "--status", "sleeping");

        Assert.Equal(2, exitCode);
        Assert.Contains("sleeping", error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CasesShow_PrintsTasksResourcesAndHistory()
    {
        var (exitCode, output, _) = await RunAsync("cases", "show", "c-1");

        Assert.Equal(0, exitCode);
        Assert.Contains("Status   running", output, StringComparison.Ordinal);
        Assert.Contains("Cancel   standard by alice", output, StringComparison.Ordinal);
        Assert.Matches(@"generate\s+cancelling\s+agent-7\s+1\s+waiting for ack, escalation 1\s+1200\s+3.5", output);
        Assert.Matches(@"vm-1\s+vm\s+generate\s+released", output);
        Assert.Matches(@"cancel_requested\s+alice", output);
    }

    [Fact]
    public async Task CasesShow_Measures_Printed()
    {
        _server.OnJson("GET", "/api/v1/cases/{caseId}", 200, new
        {
            caseId = "c-1",
            process = "report",
            status = "cancelled",
            measures = new { tasks = new[] { new { taskId = "generate", signalLatencySeconds = 0.001 } }, timeToFullTerminationSeconds = 2.25, tokensSaved = 3800, gpuSecondsSaved = 10.5, resourcesReleased = 1 },
        });

        var (_, output, _) = await RunAsync("cases", "show", "c-1");

        Assert.Contains("Measures full termination in 2.25 s, saved 3800 tokens and 10.5 GPU s, resources released 1, orphaned 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CasesShow_Json_IsTheCaseDescription()
    {
        var (exitCode, output, _) = await RunAsync("cases", "show", "c-1", "--json");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("cancelling", document.RootElement.GetProperty("tasks")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task CasesStart_InputAndOptions_PostedAsJson()
    {
        var (exitCode, output, _) = await RunAsync("cases", "start", "report", "--case-id", "c-7", "--input", """{"topic":"GPUs"}""", "--admin", "bob", "--admin", "carol", "--hold", "30");

        Assert.Equal(0, exitCode);
        Assert.Equal("Started case c-7 (report): running", output.Trim());
        var body = (await _server.WaitForRequestAsync("POST", "/api/v1/cases")).Json;
        Assert.Equal("report", body.GetProperty("process").GetString());
        Assert.Equal("GPUs", body.GetProperty("input").GetProperty("topic").GetString());
        Assert.Equal(["bob", "carol"], body.GetProperty("admins").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(30, body.GetProperty("cancel").GetProperty("holdSeconds").GetDouble());
    }

    [Fact]
    public async Task CasesStart_InputFile_Read()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{ "topic": "from file" }""");
        try
        {
            var (exitCode, _, _) = await RunAsync("cases", "start", "report", "--input-file", file);

            Assert.Equal(0, exitCode);
            Assert.Equal("from file", (await _server.WaitForRequestAsync("POST", "/api/v1/cases")).Json.GetProperty("input").GetProperty("topic").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task CasesStart_BadInputJson_UsageErrorNamingTheFault()
    {
        var (exitCode, _, error) = await RunAsync("cases", "start", "report", "--input", "{topic:");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("ripcord: --input is not valid JSON at line 1", error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CasesStart_ExistingCase_SaysSo()
    {
        _server.OnJson("POST", "/api/v1/cases", 200, new { caseId = "c-7", status = "completed" });

        var (_, output, _) = await RunAsync("cases", "start", "report", "--case-id", "c-7");

        Assert.Equal("Case c-7 already exists: completed", output.Trim());
    }

    [Fact]
    public async Task CasesCancel_AllFlags_PostedAndAcceptedMessagePrinted()
    {
        var (exitCode, output, _) = await RunAsync("cases", "cancel", "c-1", "--force", "--hold", "5", "--grace", "2.5", "--reason", "over budget");

        Assert.Equal(0, exitCode);
        Assert.Equal("Cancel of case c-1 accepted: cancelling", output.Trim());
        Assert.Equal(
            """{"mode":"force","reason":"over budget","gracePeriodSeconds":2.5,"holdSeconds":5}""",
            (await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/cancel")).Body);
    }

    [Fact]
    public async Task CasesCancel_InHold_SaysHowToConfirmOrOverride()
    {
        _server.OnJson("POST", "/api/v1/cases/{caseId}/cancel", 202, new { alreadyClosed = false, status = "cancel_pending" });

        var (exitCode, output, _) = await RunAsync("cases", "cancel", "c-1", "--hold", "60");

        Assert.Equal(0, exitCode);
        Assert.Contains("accepted: cancel_pending", output, StringComparison.Ordinal);
        Assert.Contains("'ripcord cases confirm c-1' runs it now, 'ripcord cases override c-1' withdraws it", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CasesCancel_AlreadyClosed_SaysNothingChanged()
    {
        _server.OnJson("POST", "/api/v1/cases/{caseId}/cancel", 200, new { alreadyClosed = true, status = "completed" });

        var (exitCode, output, _) = await RunAsync("cases", "cancel", "c-1");

        Assert.Equal(0, exitCode);
        Assert.Equal("Case c-1 was already closed (completed); nothing changed.", output.Trim());
    }

    [Fact]
    public async Task CasesCancel_Json_Parses()
    {
        var (_, output, _) = await RunAsync("cases", "cancel", "c-1", "--json");

        using var document = JsonDocument.Parse(output);
        Assert.False(document.RootElement.GetProperty("alreadyClosed").GetBoolean());
        Assert.Equal("cancelling", document.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CasesConfirmAndOverride_PostToTheirPaths()
    {
        var confirm = await RunAsync("cases", "confirm", "c-1");
        var overridden = await RunAsync("cases", "override", "c-1", "--reason", "false alarm");

        Assert.Equal("Cancel of case c-1 confirmed: cancelling", confirm.Output.Trim());
        Assert.Equal("Cancel of case c-1 withdrawn: running", overridden.Output.Trim());
        Assert.Equal("false alarm", (await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/cancel/override")).Json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task CasesPurge_PostsTheReasonAndSaysWhenAndByWhom()
    {
        _server.OnJson("POST", "/api/v1/cases/{caseId}/purge", 202, new { redactedAt = "2026-11-21T09:00:00+00:00", redactedBy = "root" });

        var (exitCode, output, error) = await RunAsync("cases", "purge", "c-2", "--reason", "erasure request");
        var json = await RunAsync("cases", "purge", "c-2", "--json");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Matches(@"^Case c-2 redacted at 2026-11-21 09:00:00\S* by root\.$", output.Trim());
        Assert.Equal("erasure request", (await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-2/purge")).Json.GetProperty("reason").GetString());
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal("root", document.RootElement.GetProperty("redactedBy").GetString());
    }

    [Fact]
    public async Task CasesPurge_RunningCase_ExitsSixWithServerDetail()
    {
        _server.OnProblem("POST", "/api/v1/cases/{caseId}/purge", 409, "conflict", "case 'c-1' is running; only an ended case can be purged");

        var (exitCode, output, error) = await RunAsync("cases", "purge", "c-1");

        Assert.Equal(6, exitCode);
        Assert.Empty(output);
        Assert.Contains("only an ended case can be purged", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CasesShow_RedactedCase_SaysWhenAndByWhom()
    {
        _server.OnJson("GET", "/api/v1/cases/{caseId}", 200, new { caseId = "c-2", process = "report", status = "cancelled", redactedAt = "2026-11-21T10:00:00+00:00", redactedBy = "system" });

        var (_, output, _) = await RunAsync("cases", "show", "c-2");

        Assert.Matches(@"Redacted 2026-11-21 10:00:00\S* by system: payloads erased", output);
    }

    [Fact]
    public async Task CasesWatch_PrintsEventsUntilCaseCloses()
    {
        var connections = _server.OnSse("/api/v1/cases/{caseId}/events");
        _server.On("GET", "/api/v1/cases/{caseId}", (context, _) => FakeRipcordServer.WriteJsonAsync(context, 200, Samples.CaseJson("c-1", "cancelled")));
        var run = RunAsync("cases", "watch", "c-1", "--json");

        var connection = await connections.Reader.ReadAsync().AsTask().WaitAsync(FakeRipcordServer.SafetyTimeout);
        await connection.SendAsync("""{"at":"2026-11-21T05:00:00Z","type":"cancel_requested","actor":"alice","reason":"budget"}""", id: "1");
        await connection.SendAsync("""{"at":"2026-11-21T05:00:01Z","type":"case_cancelled","actor":"system"}""", id: "2");
        var (exitCode, output, _) = await run;

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("cancel_requested", JsonDocument.Parse(lines[0]).RootElement.GetProperty("type").GetString());
        Assert.Equal("2", JsonDocument.Parse(lines[1]).RootElement.GetProperty("streamId").GetString());
    }

    [Fact]
    public async Task CasesWatch_Table_OneLinePerEvent()
    {
        var connections = _server.OnSse("/api/v1/cases/{caseId}/events");
        _server.On("GET", "/api/v1/cases/{caseId}", (context, _) => FakeRipcordServer.WriteJsonAsync(context, 200, Samples.CaseJson("c-1", "completed")));
        var run = RunAsync("cases", "watch", "c-1");

        var connection = await connections.Reader.ReadAsync().AsTask().WaitAsync(FakeRipcordServer.SafetyTimeout);
        await connection.SendAsync("""{"at":"2026-11-21T05:00:00Z","type":"task_completed","actor":"agent-7","taskId":"generate"}""");
        connection.Close();
        var (exitCode, output, _) = await run;

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^2026-11-21 05:00:00Z\s+task_completed\s+agent-7 task=generate\s*$", output.Trim());
    }

    [Fact]
    public async Task TasksCancel_OneTask_UsesTaskPath()
    {
        var (exitCode, output, _) = await RunAsync("tasks", "cancel", "c-1", "generate", "--reason", "slow");

        Assert.Equal(0, exitCode);
        Assert.Equal("Cancel of task(s) generate of case c-1 accepted.", output.Trim());
        Assert.Equal("""{"reason":"slow"}""", (await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/tasks/generate/cancel")).Body);
    }

    [Fact]
    public async Task TasksCancel_SeveralTasks_UsesMultiTaskPath()
    {
        var (exitCode, _, _) = await RunAsync("tasks", "cancel", "c-1", "market", "founders");

        Assert.Equal(0, exitCode);
        Assert.Equal("""{"taskIds":["market","founders"]}""", (await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/tasks/cancel")).Body);
    }

    [Fact]
    public async Task TasksCancel_PerTaskOutcomes_OneLineEach()
    {
        _server.OnJson("POST", "/api/v1/cases/{caseId}/tasks/cancel", 202, new
        {
            alreadyClosed = false,
            tasks = new[] { new { taskId = "market", alreadyClosed = false, status = "cancelling" }, new { taskId = "founders", alreadyClosed = true, status = "completed" } },
        });

        var (exitCode, output, _) = await RunAsync("tasks", "cancel", "c-1", "market", "founders");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            ["Cancel of task market of case c-1 accepted: cancelling", "Task founders of case c-1 had already ended (completed); nothing changed."],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task TasksCancel_NoTaskId_UsageError()
    {
        var (exitCode, _, error) = await RunAsync("tasks", "cancel", "c-1");

        Assert.Equal(2, exitCode);
        Assert.Contains("ripcord tasks cancel --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessesList_TableAndJson()
    {
        var table = await RunAsync("processes", "list");
        var json = await RunAsync("processes", "list", "--json");

        Assert.Matches(@"report\s+3\s+report-generator, quick-summary\s+5 s\s+10 s\s+0 s", table.Output);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal("summary", document.RootElement[0].GetProperty("nodes")[0].GetProperty("onCancel").GetString());
    }

    [Fact]
    public async Task ProcessesPut_File_PutUnderItsName()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{ "name": "tiny", "nodes": [ { "id": "only", "agent": "quick-summary" } ], "edges": [] }""");
        try
        {
            var (exitCode, output, _) = await RunAsync("processes", "put", file);

            Assert.Equal(0, exitCode);
            Assert.Equal("Process 'tiny' registered.", output.Trim());
            var request = await _server.WaitForRequestAsync("PUT", "/api/v1/processes/tiny");
            Assert.Equal("only", request.Json.GetProperty("nodes")[0].GetProperty("id").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ProcessesPut_InvalidDefinition_ExitsSevenWithServerDetail()
    {
        _server.OnProblem("PUT", "/api/v1/processes/{name}", 400, "invalid_definition", "edge names unknown node 'x'");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{ "name": "bad", "nodes": [], "edges": [["a","x"]] }""");
        try
        {
            var (exitCode, _, error) = await RunAsync("processes", "put", file);

            Assert.Equal(7, exitCode);
            Assert.Equal("ripcord: the process definition is invalid (invalid_definition): edge names unknown node 'x'", error.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ProcessesPut_BadJsonFile_UsageError()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "{\n  \"name\": \"x\",\n  nodes: []\n}");
        try
        {
            var (exitCode, _, error) = await RunAsync("processes", "put", file);

            Assert.Equal(2, exitCode);
            Assert.Contains("is not valid JSON at line 3", error, StringComparison.Ordinal);
            Assert.Empty(_server.Requests);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ProcessesPut_NoName_UsageError()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{ "nodes": [] }""");
        try
        {
            var (exitCode, _, error) = await RunAsync("processes", "put", file);

            Assert.Equal(2, exitCode);
            Assert.Contains("has no \"name\"; add one or pass --name", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ProcessesPut_MissingFile_UsageError()
    {
        var (exitCode, _, error) = await RunAsync("processes", "put", "/nonexistent/report.json");

        Assert.Equal(2, exitCode);
        Assert.Equal("ripcord: file '/nonexistent/report.json' does not exist.", error.Trim());
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
