using Ripcord.Client.Models;
using Ripcord.Client.Tests.Fakes;

namespace Ripcord.Client.Tests;

public sealed class WatchTests : IAsyncLifetime
{
    private FakeRipcordServer _server = null!;
    private RipcordClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRipcordServer.StartAsync();
        _client = new RipcordClient(new RipcordClientOptions { BaseAddress = _server.BaseAddress, ApiKey = "viewer" });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task WatchAsync_StreamDropsThenResumes_ReconnectsWithLastEventIdAndStopsWhenClosed()
    {
        var connections = _server.OnSse("/api/v1/cases/{caseId}/events");
        var caseStatus = "running";
        _server.On("GET", "/api/v1/cases/{caseId}", (context, request) => FakeRipcordServer.WriteJsonAsync(context, 200, Samples.CaseJson("c-1", caseStatus)));
        using var timeout = new CancellationTokenSource(FakeRipcordServer.SafetyTimeout);
        var watch = _client.GetCase("c-1").WatchAsync(new WatchOptions { ReconnectDelay = TimeSpan.Zero }, timeout.Token).GetAsyncEnumerator(timeout.Token);

        var moving = watch.MoveNextAsync();
        var first = await connections.Reader.ReadAsync(timeout.Token);
        await first.SendRawAsync(": hello\n\nid: 1\nevent: history\ndata: {\"at\":\"2026-11-21T05:00:00Z\",\n");
        await first.SendRawAsync("data: \"type\":\"case_started\",\"actor\":\"alice\"}\n\n");
        Assert.True(await moving);
        Assert.Equal(("case_started", "alice", "1", "c-1"), (watch.Current.Type, watch.Current.Actor, watch.Current.StreamId, watch.Current.CaseId));

        moving = watch.MoveNextAsync();
        first.Close();
        var second = await connections.Reader.ReadAsync(timeout.Token);
        Assert.Equal("1", second.Request.Header("Last-Event-ID"));
        Assert.Equal("text/event-stream", second.Request.Header("Accept"));
        Assert.Equal("Bearer viewer", second.Request.Authorization);
        caseStatus = "cancelled";
        await second.SendAsync("""{"at":"2026-11-21T05:02:00Z","type":"case_cancelled","actor":"system"}""", id: "2");
        Assert.True(await moving);
        Assert.Equal("case_cancelled", watch.Current.Type);

        Assert.False(await watch.MoveNextAsync());
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task WatchAsync_UnparsableEvent_SkippedAndWatchGoesOn()
    {
        var connections = _server.OnSse("/api/v1/cases/{caseId}/events");
        using var timeout = new CancellationTokenSource(FakeRipcordServer.SafetyTimeout);
        var watch = _client.GetCase("c-1").WatchAsync(cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);

        var moving = watch.MoveNextAsync();
        var connection = await connections.Reader.ReadAsync(timeout.Token);
        await connection.SendAsync("not json");
        await connection.SendAsync("""{"type":"task_started","taskId":"generate","actor":"agent-7"}""");

        Assert.True(await moving);
        Assert.Equal(("task_started", "generate"), (watch.Current.Type, watch.Current.TaskId));
        await timeout.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await watch.MoveNextAsync());
    }

    [Fact]
    public async Task WatchAsync_UnknownCase_ThrowsCaseNotFound()
    {
        _server.OnProblem("GET", "/api/v1/cases/{caseId}/events", 404, "case_not_found", "no case c-404");

        await Assert.ThrowsAsync<CaseNotFoundException>(async () =>
        {
            await foreach (var unused in _client.GetCase("c-404").WatchAsync())
            {
            }
        });
    }

    [Fact]
    public async Task WatchAsync_ServerGone_GivesUpAfterMaxReconnects()
    {
        var attempts = 0;
        _server.On("GET", "/api/v1/cases/{caseId}/events", (context, _) =>
        {
            attempts++;
            return FakeRipcordServer.WriteProblemAsync(context, 503, "unavailable", "store down");
        });

        var exception = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var unused in _client.GetCase("c-1").WatchAsync(new WatchOptions { ReconnectDelay = TimeSpan.Zero, MaxReconnectAttempts = 2 }))
            {
            }
        });

        Assert.Equal(3, attempts);
        Assert.IsType<RipcordException>(exception.InnerException);
    }
}
