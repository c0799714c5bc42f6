using Microsoft.AspNetCore.Http;
using Ripcord.Client.Agents;
using Ripcord.Client.Models;
using Ripcord.Client.Tests.Fakes;

namespace Ripcord.Client.Tests;

public sealed class ProblemTests : IAsyncLifetime
{
    private FakeRipcordServer _server = null!;
    private RipcordClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRipcordServer.StartAsync();
        _client = new RipcordClient(new RipcordClientOptions { BaseAddress = _server.BaseAddress, ApiKey = "k" });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    public static TheoryData<int, string, Type> Codes => new()
    {
        { 400, "invalid_request", typeof(InvalidRequestException) },
        { 400, "invalid_definition", typeof(InvalidDefinitionException) },
        { 401, "unauthenticated", typeof(UnauthenticatedException) },
        { 403, "forbidden", typeof(ForbiddenException) },
        { 404, "case_not_found", typeof(CaseNotFoundException) },
        { 404, "task_not_found", typeof(TaskNotFoundException) },
        { 404, "process_not_found", typeof(ProcessNotFoundException) },
        { 409, "lease_lost", typeof(LeaseLostException) },
        { 409, "task_cancelled", typeof(TaskCancelledException) },
        { 409, "conflict", typeof(ConflictException) },
        { 409, "some_future_conflict", typeof(ConflictException) },
        { 404, "some_future_thing_not_found", typeof(NotFoundException) },
        { 503, "store_unavailable", typeof(RipcordException) },
    };

    [Theory]
    [MemberData(nameof(Codes))]
    public async Task ErrorResponse_ProblemCode_ThrowsTypedException(int status, string code, Type expected)
    {
        _server.OnProblem("POST", "/api/v1/cases/{caseId}/cancel", status, code, $"detail of {code}");

        var exception = await Assert.ThrowsAnyAsync<RipcordException>(() => _client.GetCase("c-1").CancelAsync());

        Assert.Equal(expected, exception.GetType());
        Assert.Equal(code, exception.Code);
        Assert.Equal(status, exception.Status);
        Assert.Equal($"detail of {code}", exception.Detail);
        Assert.Contains(code, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorResponse_NoBody_CodeComesFromStatus()
    {
        _server.OnJson("GET", "/api/v1/cases/{caseId}", 401, null);

        var exception = await Assert.ThrowsAsync<UnauthenticatedException>(() => _client.GetCase("c-1").DescribeAsync());

        Assert.Equal("unauthenticated", exception.Code);
    }

    [Fact]
    public async Task ErrorResponse_HtmlFromProxy_KeepsTextAsDetail()
    {
        _server.On("GET", "/api/v1/processes", async (context, _) =>
        {
            context.Response.StatusCode = 502;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>Bad gateway</html>");
        });

        var exception = await Assert.ThrowsAsync<RipcordException>(() => _client.ListProcessesAsync());

        Assert.Equal("http_502", exception.Code);
        Assert.Equal("<html>Bad gateway</html>", exception.Detail);
    }

    [Fact]
    public async Task ErrorResponse_ExtraProblemMembers_KeptInExtensions()
    {
        _server.OnJson("PUT", "/api/v1/processes/{name}", 400, """{"status":400,"code":"invalid_definition","detail":"cycle: a -> b -> a","node":"a"}""");

        var exception = await Assert.ThrowsAsync<InvalidDefinitionException>(() => _client.PutProcessAsync(new ProcessDefinition { Name = "bad" }));

        Assert.Equal("cycle: a -> b -> a", exception.Detail);
        Assert.Equal("a", exception.Problem.Extensions!["node"].GetString());
    }

    [Fact]
    public async Task WrongApiKey_ThrowsUnauthenticated()
    {
        _server.RequiredApiKey = "right";

        await Assert.ThrowsAsync<UnauthenticatedException>(() => _client.ListCasesAsync());
    }

    [Fact]
    public async Task Heartbeat_LeaseLost_ThrowsLeaseLostException()
    {
        _server.OnProblem("POST", "/api/v1/tasks/{caseId}/{taskId}/heartbeat", 409, "lease_lost", "fenced");
        var task = new TaskAssignment { CaseId = "c-1", TaskId = "generate", LeaseToken = "L1" };

        await Assert.ThrowsAsync<LeaseLostException>(() => _client.HeartbeatAsync(task, new HeartbeatOptions()));
    }

    [Fact]
    public async Task ConnectionRefused_ThrowsHttpRequestException()
    {
        var port = _server.BaseAddress.Port;
        await _server.DisposeAsync();
        _server = await FakeRipcordServer.StartAsync();
        using var client = new RipcordClient(new RipcordClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.ListCasesAsync());
    }
}
