using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ripcord.Contracts;
using Ripcord.Grains.Diagnostics;

namespace Ripcord.Grains.Outbox;

/// <summary>
/// Calls an agent's kill hook (topic <c>agent-kill</c>): a POST of the <see cref="AgentKillRequest"/> as JSON. Best
/// effort, once per item: the task is already fenced, so the hook only stops a zombie sooner. The outcome goes to
/// the task's history. Only hosts the operator allows are called (<see cref="WebhookHosts.KillHooks"/>, checked again
/// here for hooks handed over before the list changed), and a redirect is not followed.
/// </summary>
public sealed partial class AgentKillHandler : IOutboxHandler
{
    public const string HttpClientName = "Ripcord.AgentKill";

    private readonly IHttpClientFactory _http;
    private readonly HostAllowList _hosts;
    private readonly ILogger _logger;

    public AgentKillHandler(IHttpClientFactory http, WebhookHosts hosts, ILogger<AgentKillHandler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        _http = http;
        _hosts = hosts.KillHooks;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string Topic => OutboxTopics.AgentKill;

    public async Task<object?> HandleAsync(object payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var request = payload as AgentKillRequest;
        if (request is null)
        {
            return null;
        }

        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || !_hosts.Allows(url))
        {
            LogKillHookFailed(request.CaseId, request.TaskId, "its host is not allowed");
            return new KillHookCalled(false, null, "not called: its host is not in Ripcord:Agents:AllowedKillHookHosts");
        }

        KillHookCalled result;
        try
        {
            using var response = await _http.CreateClient(HttpClientName).PostAsJsonAsync(url, request, RipcordJson.Options, cancellationToken).ConfigureAwait(false);
            result = new KillHookCalled(response.IsSuccessStatusCode, (int)response.StatusCode, null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogKillHookFailed(request.CaseId, request.TaskId, e.Message);
            result = new KillHookCalled(false, null, e.GetType().Name + ": " + e.Message);
        }

        return result;
    }

    [LoggerMessage(EventId = GrainEventIds.KillHookFailed, Level = LogLevel.Warning, Message = "Kill hook of task {TaskId} in case {CaseId} failed: {Error}")]
    private partial void LogKillHookFailed(string caseId, string taskId, string error);
}
