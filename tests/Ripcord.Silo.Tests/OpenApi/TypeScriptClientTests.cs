using System.Text.Json;
using Ripcord.Silo.Tests.Api;

namespace Ripcord.Silo.Tests.OpenApi;

/// <summary>
/// A TypeScript client generated from the live document (openapi-typescript and openapi-fetch), type-checked with
/// tsc, drives the report scenario against a real silo (tests/openapi/scenario/report.ts).
/// </summary>
public sealed class TypeScriptClientTests(TypeScriptClientFixture fixture) : IClassFixture<TypeScriptClientFixture>
{
    [Fact]
    public async Task ReportScenario_GeneratedClient_CancelsTheGeneratorAndTheFallbackCompletes()
    {
        var compiled = await OpenApiTools.RunAsync("tsc", "-p", "tsconfig.json");
        Assert.True(compiled.ExitCode == 0, "the scenario does not type-check against the generated client: " + compiled);

        var run = await OpenApiTools.NodeAsync("dist/scenario/report.js", new Dictionary<string, string?>
        {
            ["RIPCORD_URL"] = fixture.Silo.Address.ToString(),
            ["RIPCORD_ADMIN_KEY"] = TestKeys.Admin,
            ["RIPCORD_OPERATOR_KEY"] = TestKeys.Operator,
            ["RIPCORD_AGENT_KEY"] = TestKeys.Agent,
        });
        Assert.True(run.ExitCode == 0, "the scenario failed: " + run);

        var caseId = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]).RootElement.GetProperty("caseId").GetString()!;
        var view = (await fixture.Silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
        Assert.Equal("completed", view.GetProperty("status").GetString());
        var tasks = view.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("taskId").GetString()!);
        Assert.Equal("cancelled", tasks["generate"].GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, tasks["generate"].GetProperty("cancel").GetProperty("ackedAt").ValueKind);
        Assert.False(tasks["generate"].GetProperty("cancel").GetProperty("fenced").GetBoolean());
        Assert.Equal("completed", tasks["summary"].GetProperty("status").GetString());
        var acknowledged = view.GetProperty("history").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "cancel_acknowledged");
        Assert.Equal(3, acknowledged.GetProperty("detail").GetProperty("checkpoint").GetProperty("sectionsDone").GetInt32());
        Assert.Equal(3, view.GetProperty("output").GetProperty("basedOn").GetProperty("sectionsDrafted").GetInt32());
    }

    [Fact]
    public async Task GeneratedClient_UnknownCancelMode_FailsTheTypeCheck()
    {
        var compiled = await OpenApiTools.RunAsync("tsc", "-p", "tsconfig.misuse.json");

        Assert.True(compiled.ExitCode != 0, "tests/openapi/misuse/wrong-cancel-mode.ts type-checked: the generated client does not know the cancel modes");
        Assert.Contains("wrong-cancel-mode.ts", compiled.Output, StringComparison.Ordinal);
        Assert.Contains("'\"gentle\"' is not assignable", compiled.Output, StringComparison.Ordinal);
    }
}
