using System.Net;
using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Outbox;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage;

namespace Ripcord.Grains.Tests.Outbox;

public sealed class OutboxHandlerTests
{
    private static readonly ResourceReleaseRequest Release = new("c-1", "vm-1", "vm", "t", "http://cloud.test/vm-1", "DELETE", 2);

    private static OutboxItem Item(string topic, object payload) => new(topic, GrainTypes.RegistryId("c-1"), payload);

    [Theory]
    [InlineData(HttpStatusCode.NoContent, true)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false)]
    public async Task ReleaseWebhook_Answered_ResultSentToTheRegistry(HttpStatusCode code, bool success)
    {
        using var http = new StubHttp { Responder = _ => code };
        var grains = new SentMessages();
        var handler = new WebhookReleaseHandler(http, () => grains);

        await handler.HandleAsync(Item(OutboxTopics.ResourceRelease, Release), CancellationToken.None);

        var (target, message) = Assert.Single(grains.Sent);
        Assert.Equal(GrainTypes.RegistryId("c-1"), target);
        var result = Assert.IsType<ReleaseAttemptCompleted>(message);
        Assert.Equal(("vm-1", 2, success, (int)code), (result.ResourceId, result.Attempt, result.Success, result.StatusCode!.Value));
        Assert.Equal(("DELETE", "http://cloud.test/vm-1"), (Assert.Single(http.Calls).Method, http.Calls.Single().Url));
    }

    [Fact]
    public async Task ReleaseWebhook_Unreachable_FailureSentNotThrown()
    {
        using var http = new StubHttp { Responder = _ => throw new HttpRequestException("connection refused") };
        var grains = new SentMessages();
        var handler = new WebhookReleaseHandler(http, () => grains);

        await handler.HandleAsync(Item(OutboxTopics.ResourceRelease, Release), CancellationToken.None);

        var result = Assert.IsType<ReleaseAttemptCompleted>(Assert.Single(grains.Sent).Message);
        Assert.False(result.Success);
        Assert.Null(result.StatusCode);
        Assert.Contains("connection refused", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseWebhook_PayloadStoredAsJson_Understood()
    {
        using var http = new StubHttp();
        var grains = new SentMessages();
        var handler = new WebhookReleaseHandler(http, () => grains);
        var json = JsonSerializer.SerializeToElement(Release, RipcordJson.Options);

        await handler.HandleAsync(Item(OutboxTopics.ResourceRelease, json), CancellationToken.None);

        Assert.True(Assert.IsType<ReleaseAttemptCompleted>(Assert.Single(grains.Sent).Message).Success);
    }

    [Fact]
    public async Task KillHook_Called_PostsTheRequestAndReportsToTheTask()
    {
        using var http = new StubHttp { Responder = _ => HttpStatusCode.Accepted };
        var grains = new SentMessages();
        var handler = new AgentKillHandler(http, () => grains);

        await handler.HandleAsync(Item(OutboxTopics.AgentKill, new AgentKillRequest("c-1", "t", "a-1", "http://agents.test/a-1/kill", "stop")), CancellationToken.None);

        var call = Assert.Single(http.Calls);
        Assert.Equal("POST", call.Method);
        Assert.Equal("a-1", JsonDocument.Parse(call.Body!).RootElement.GetProperty("agentId").GetString());
        var (target, message) = Assert.Single(grains.Sent);
        Assert.Equal(GrainTypes.TaskId("c-1", "t"), target);
        Assert.Equal(new KillHookCalled(true, 202, null), message);
    }

    /// <summary>A grain client that only records one-way sends.</summary>
    private sealed class SentMessages : IGrainClient
    {
        public List<(GrainId Target, object Message)> Sent { get; } = [];

        public ValueTask<long> SendAsync(GrainId target, object message, CancellationToken cancellationToken = default)
        {
            Sent.Add((target, message));
            return ValueTask.FromResult((long)Sent.Count);
        }

        public Task<AskResult<TReply>> AskAsync<TReply>(GrainId target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask<TState?> ReadStateAsync<TState>(GrainId grain, CancellationToken cancellationToken = default)
            where TState : class => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string caseId, long afterSequence = 0, int max = 1000, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(int max = 100, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
