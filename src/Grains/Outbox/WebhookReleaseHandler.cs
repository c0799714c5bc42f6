using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ripcord.Grains.Diagnostics;

namespace Ripcord.Grains.Outbox;

/// <summary>
/// Calls a resource's release webhook (topic <c>resource-release</c>) and tells the registry how it went. Retries
/// and the orphan decision belong to the registry, so this makes one call per item and never throws for a failed
/// call (bad URL, refused connection, timeout, non-2xx): the failure is the answer. Delivery is at least once; webhooks get the attempt number to de-duplicate.
/// Only hosts the operator allows are called (<see cref="WebhookHosts.Releases"/>, checked again here for releases
/// registered before the list changed), and a redirect is not followed (its 3xx is the failure).
/// </summary>
public sealed partial class WebhookReleaseHandler : IOutboxHandler
{
    public const string HttpClientName = "Ripcord.ResourceRelease";

    private readonly IHttpClientFactory _http;
    private readonly HostAllowList _hosts;
    private readonly ILogger _logger;

    public WebhookReleaseHandler(IHttpClientFactory http, WebhookHosts hosts, ILogger<WebhookReleaseHandler>? logger = null)
    {
        _http = http;
        ArgumentNullException.ThrowIfNull(hosts);
        _hosts = hosts.Releases;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string Topic => OutboxTopics.ResourceRelease;

    public async Task<object?> HandleAsync(object payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var request = payload as ResourceReleaseRequest;
        if (request is null)
        {
            LogUnexpectedPayload(Topic, payload.GetType().Name);
            return null;
        }

        ReleaseAttemptCompleted result;
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || !_hosts.Allows(url))
        {
            LogHostNotAllowed(request.CaseId, request.ResourceId, request.Attempt);
            return new ReleaseAttemptCompleted
            {
                ResourceId = request.ResourceId,
                Attempt = request.Attempt,
                Success = false,
                Error = "not called: its host is not in Ripcord:Resources:AllowedReleaseHosts",
            };
        }

        try
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), url);
            message.Headers.Add("X-Ripcord-Case", request.CaseId);
            message.Headers.Add("X-Ripcord-Resource", request.ResourceId);
            message.Headers.Add("X-Ripcord-Attempt", request.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await _http.CreateClient(HttpClientName).SendAsync(message, cancellationToken).ConfigureAwait(false);
            result = new ReleaseAttemptCompleted
            {
                ResourceId = request.ResourceId,
                Attempt = request.Attempt,
                Success = response.IsSuccessStatusCode,
                StatusCode = (int)response.StatusCode,
            };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogReleaseFailed(request.CaseId, request.ResourceId, request.Attempt, e.Message);
            result = new ReleaseAttemptCompleted
            {
                ResourceId = request.ResourceId,
                Attempt = request.Attempt,
                Success = false,
                Error = e.GetType().Name + ": " + e.Message,
            };
        }

        return result;
    }

    [LoggerMessage(EventId = GrainEventIds.ReleaseWebhookFailed, Level = LogLevel.Warning, Message = "Release webhook of resource {ResourceId} in case {CaseId} failed on attempt {Attempt}: {Error}")]
    private partial void LogReleaseFailed(string caseId, string resourceId, int attempt, string error);

    [LoggerMessage(EventId = GrainEventIds.ReleaseHostNotAllowed, Level = LogLevel.Warning, Message = "Release webhook of resource {ResourceId} in case {CaseId} not called on attempt {Attempt}: its host is not in Ripcord:Resources:AllowedReleaseHosts")]
    private partial void LogHostNotAllowed(string caseId, string resourceId, int attempt);

    [LoggerMessage(EventId = GrainEventIds.UnexpectedOutboxPayload, Level = LogLevel.Error, Message = "Outbox item of topic {Topic} carries an unexpected payload {PayloadType}")]
    private partial void LogUnexpectedPayload(string topic, string payloadType);
}
