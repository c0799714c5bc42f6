using System.Text.Json;
using Ripcord.Client.Tests.Fakes;

namespace Ripcord.Cli.Tests;

/// <summary>The <c>cases</c> commands: list, show, start, cancel, confirm, override, purge, watch.</summary>
public sealed partial class CliTests
{
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
}
