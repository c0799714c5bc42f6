using System.Net;

namespace Ripcord.Silo.Tests.Api;

/// <summary>Each role against each kind of call: 401 without a key, 403 with the wrong role, allowed otherwise.</summary>
public sealed class AuthorizationMatrixTests(SiloFixture fixture) : IClassFixture<SiloFixture>, IAsyncLifetime
{
    private readonly RunningSilo _silo = fixture.Silo;
    private string _caseId = "";

    public async Task InitializeAsync() => _caseId = await _silo.StartCaseAsync("report");

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string?, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<string, string?, HttpStatusCode>();
        var kinds = new Dictionary<string, (HttpStatusCode Admin, HttpStatusCode Operator, HttpStatusCode Viewer, HttpStatusCode Agent)>
        {
            ["read"] = (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden),
            ["list"] = (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden),
            ["metrics"] = (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden),
            ["cluster"] = (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden),
            ["processes"] = (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden),
            ["start"] = (HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["put-process"] = (HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["cancel-own"] = (HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["poll"] = (HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.NoContent),
            ["heartbeat"] = (HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Conflict),
        };
        foreach (var (kind, expected) in kinds)
        {
            data.Add(kind, null, HttpStatusCode.Unauthorized);
            data.Add(kind, TestKeys.Admin, expected.Admin);
            data.Add(kind, TestKeys.Operator, expected.Operator);
            data.Add(kind, TestKeys.Viewer, expected.Viewer);
            data.Add(kind, TestKeys.Agent, expected.Agent);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Call_ByRole_IsAllowedOrRefusedAsApiMdSays(string kind, string? key, HttpStatusCode expected)
    {
        var reply = kind switch
        {
            "read" => await _silo.SendAsync(HttpMethod.Get, $"/api/v1/cases/{_caseId}", key),
            "list" => await _silo.SendAsync(HttpMethod.Get, "/api/v1/cases", key),
            "metrics" => await _silo.SendAsync(HttpMethod.Get, "/api/v1/metrics", key),
            "cluster" => await _silo.SendAsync(HttpMethod.Get, "/api/v1/cluster", key),
            "processes" => await _silo.SendAsync(HttpMethod.Get, "/api/v1/processes", key),
            "start" => await _silo.SendAsync(HttpMethod.Post, "/api/v1/cases", key, """{"process":"report"}"""),
            "put-process" => await _silo.SendAsync(HttpMethod.Put, "/api/v1/processes/matrix", key, """{"name":"matrix","nodes":[{"id":"a","agent":"x"}],"edges":[]}"""),
            "cancel-own" => await CancelOwnCaseAsync(key),
            "poll" => await _silo.SendAsync(HttpMethod.Post, "/api/v1/agents/agent-1/poll", key, """{"agents":["nobody-runs-this"],"waitSeconds":0}"""),
            "heartbeat" => await _silo.SendAsync(HttpMethod.Post, $"/api/v1/tasks/{_caseId}/generate/heartbeat", key, """{"leaseToken":"not-the-lease"}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        Assert.True(expected == reply.Status, $"{kind} with {key ?? "no key"}: expected {expected}, got {reply.Status}: {reply.Text}");
        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            Assert.Contains(reply.Code, new[] { "unauthenticated", "forbidden" });
        }
    }

    [Fact]
    public async Task Cancel_OperatorWhoDidNotStartTheCase_Answers403AndHistoryRecordsTheAttempt()
    {
        var caseId = await _silo.StartCaseAsync("report", key: TestKeys.Operator);

        var refused = await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.OtherOperator, new { mode = "standard", reason = "not mine" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("forbidden", refused.Code);
        var view = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
        Assert.Equal("running", view.GetProperty("status").GetString());
        var attempt = view.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("bob", attempt.GetProperty("actor").GetString());
        Assert.Contains("refused", attempt.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_OperatorListedAsCaseAdmin_IsAllowed()
    {
        var caseId = await _silo.StartCaseAsync("report", key: TestKeys.Operator, admins: ["bob"]);

        var accepted = await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.OtherOperator, new { mode = "force", reason = "bob is an admin of this case" });

        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.False(accepted.Body.GetProperty("alreadyClosed").GetBoolean());
    }

    private async Task<ApiCall.Reply> CancelOwnCaseAsync(string? key)
    {
        // Each caller cancels a case it started, where it can start one; others try the fixture's case.
        var caseId = key is TestKeys.Admin or TestKeys.Operator ? await _silo.StartCaseAsync("report", key: key) : _caseId;
        return await _silo.SendAsync(HttpMethod.Post, $"/api/v1/cases/{caseId}/cancel", key, """{"mode":"standard","reason":"matrix"}""");
    }
}
