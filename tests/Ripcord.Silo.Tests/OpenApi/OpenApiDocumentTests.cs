using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Silo.Api;

namespace Ripcord.Silo.Tests.OpenApi;

/// <summary>The served OpenAPI document: its committed copy, its lint, and what generated clients rely on.</summary>
public sealed class OpenApiDocumentTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private const string RefreshVariable = "RIPCORD_OPENAPI_REFRESH";

    [Fact]
    public async Task ServedDocument_MatchesTheCommittedCopy()
    {
        var served = await OpenApiTools.FetchDocumentAsync(fixture.Silo);
        if (Environment.GetEnvironmentVariable(RefreshVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(OpenApiTools.CommittedDocument)!);
            await File.WriteAllTextAsync(OpenApiTools.CommittedDocument, served);
        }

        var refresh = $"refresh it with {RefreshVariable}=1 dotnet test tests/Ripcord.Silo.Tests --filter {nameof(ServedDocument_MatchesTheCommittedCopy)}";
        Assert.True(File.Exists(OpenApiTools.CommittedDocument), $"docs/openapi/v1.json is missing; {refresh}");
        var committed = (await File.ReadAllTextAsync(OpenApiTools.CommittedDocument)).ReplaceLineEndings("\n");
        var line = FirstDifferentLine(committed, served);
        Assert.True(line is null, $"docs/openapi/v1.json differs from what the silo serves, from line {line}; {refresh}");
    }

    [Fact]
    public async Task Lint_RecommendedStrict_FindsNoProblem()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ripcord-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await OpenApiTools.FetchDocumentAsync(fixture.Silo));
        try
        {
            var result = await OpenApiTools.RunAsync("redocly", "lint", file, "--config", "redocly.yaml", "--format", "stylish");

            Assert.True(result.ExitCode == 0, "redocly lint found problems: " + result);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task EveryOperation_HasAnIdTheApiKeySchemeAndItsAuthenticationProblem()
    {
        using var document = await ServedAsync();

        var ids = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            Assert.StartsWith("/api/v1/", path, StringComparison.Ordinal);
            ids.Add(operation.GetProperty("operationId").GetString()!);
            Assert.True(operation.TryGetProperty("security", out var security), $"{method} {path} has no security");
            Assert.True(security[0].TryGetProperty("apiKey", out _), $"{method} {path} does not require the API key");
            Assert.Contains(ProblemCodes.Unauthenticated, Codes(operation, "401"));
        }

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Theory]
    [InlineData("/api/v1/tasks/{caseId}/{taskId}/resources", "post", "400", ProblemCodes.ReleaseHostNotAllowed)]
    [InlineData("/api/v1/tasks/{caseId}/{taskId}/resources", "post", "400", ProblemCodes.InvalidRequest)]
    [InlineData("/api/v1/agents/{agentId}/poll", "post", "400", ProblemCodes.KillHookHostNotAllowed)]
    [InlineData("/api/v1/tasks/{caseId}/{taskId}/heartbeat", "post", "409", ProblemCodes.LeaseLost)]
    [InlineData("/api/v1/tasks/{caseId}/{taskId}/heartbeat", "post", "400", ProblemCodes.CheckpointTooLarge)]
    [InlineData("/api/v1/tasks/{caseId}/{taskId}/complete", "post", "409", ProblemCodes.TaskCancelled)]
    [InlineData("/api/v1/cases/{caseId}/cancel/confirm", "post", "409", ProblemCodes.Conflict)]
    [InlineData("/api/v1/cases/{caseId}/cancel", "post", "403", ProblemCodes.ReadOnly)]
    [InlineData("/api/v1/cases", "post", "404", ProblemCodes.ProcessNotFound)]
    [InlineData("/api/v1/processes/{name}", "put", "400", ProblemCodes.InvalidDefinition)]
    [InlineData("/api/v1/cases/{caseId}", "get", "503", ProblemCodes.Unavailable)]
    public async Task ProblemResponse_ListsTheCodeItCanCarry(string path, string method, string status, string code)
    {
        using var document = await ServedAsync();

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.Contains(code, Codes(operation, status));
    }

    /// <summary>The document describes each code by its title, so a code without one would read "The request failed.".</summary>
    [Fact]
    public void EveryProblemCode_HasATitleOfItsOwn()
    {
        var codes = typeof(ProblemCodes).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();

        var titles = codes.Select(Problems.Title).ToList();

        Assert.Equal(codes.Count, titles.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ApiEnums_AreStringEnumsOfTheirApiNames()
    {
        using var document = await ServedAsync();
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        AssertEnum(schemas, "CaseStatus", Enum.GetValues<CaseStatus>().Select(ApiNames.Of));
        AssertEnum(schemas, "CaseTaskStatus", Enum.GetValues<CaseTaskStatus>().Select(ApiNames.Of));
        AssertEnum(schemas, "ResourceStatus", Enum.GetValues<ResourceStatus>().Select(ApiNames.Of));
        AssertEnum(schemas, "CancelMode", Enum.GetValues<CancelMode>().Select(ApiNames.Of));
        var listStatus = document.RootElement.GetProperty("paths").GetProperty("/api/v1/cases").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "status");
        Assert.Equal("#/components/schemas/CaseStatus", listStatus.GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Theory]
    [InlineData("/api/v1/agents/{agentId}/signals", "cancel", "CancelSignalEvent")]
    [InlineData("/api/v1/cases/{caseId}/events", "history", "HistoryEvent")]
    [InlineData("/api/v1/events", "case", "CaseChangeEvent")]
    [InlineData("/api/v1/events", "alert", "CaseAlertEvent")]
    public async Task Stream_IsAnEventStreamOfItsEventsData(string path, string eventName, string dataSchema)
    {
        using var document = await ServedAsync();

        var content = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        var schema = content.GetProperty("text/event-stream").GetProperty("schema");
        var events = schema.TryGetProperty("oneOf", out var kinds) ? kinds.EnumerateArray().ToList() : [schema];
        var data = events.Select(e => e.GetProperty("properties"))
            .Where(p => p.GetProperty("event").GetProperty("enum").EnumerateArray().Single().GetString() == eventName)
            .Select(p => p.GetProperty("data").GetProperty("$ref").GetString());

        Assert.Equal(["#/components/schemas/" + dataSchema], data);
        Assert.False(content.TryGetProperty("application/json", out _));
    }

    private async Task<JsonDocument> ServedAsync() => JsonDocument.Parse(await OpenApiTools.FetchDocumentAsync(fixture.Silo));

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonDocument document) =>
        document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Name, op.Value)));

    private static IEnumerable<string?> Codes(JsonElement operation, string status) =>
        operation.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/problem+json")
            .GetProperty("schema").GetProperty("allOf")[1].GetProperty("properties").GetProperty("code").GetProperty("enum")
            .EnumerateArray().Select(c => c.GetString());

    private static void AssertEnum(JsonElement schemas, string name, IEnumerable<string> names)
    {
        var schema = schemas.GetProperty(name);
        Assert.Equal("string", schema.GetProperty("type").GetString());
        Assert.Equal(names, schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!));
    }

    private static int? FirstDifferentLine(string expected, string actual)
    {
        var left = expected.Split('\n');
        var right = actual.Split('\n');
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            if (i >= left.Length || i >= right.Length || left[i] != right[i])
            {
                return i + 1;
            }
        }

        return null;
    }
}
