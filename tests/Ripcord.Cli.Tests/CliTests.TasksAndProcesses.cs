using System.Text.Json;
using Ripcord.Client.Tests.Fakes;

namespace Ripcord.Cli.Tests;

/// <summary>The <c>tasks cancel</c> and <c>processes</c> commands.</summary>
public sealed partial class CliTests
{
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
}
