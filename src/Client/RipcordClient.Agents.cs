using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Ripcord.Client.Agents;
using Ripcord.Client.Models;
using Ripcord.Client.Sse;

namespace Ripcord.Client;

// The agent protocol, call by call. Most agents use AddRipcordAgent<TAgent> instead, which drives these calls.
public sealed partial class RipcordClient
{
    /// <summary>
    /// Long-polls for a task (<c>POST /api/v1/agents/{agentId}/poll</c>, role agent).
    /// </summary>
    /// <param name="agentId">This agent's id; cancel signals for its tasks go to its signal stream.</param>
    /// <param name="options">The agent types and the wait.</param>
    /// <param name="cancellationToken">Stops the poll.</param>
    /// <returns>The claimed task, or <see langword="null"/> when none came within the wait.</returns>
    public async Task<TaskAssignment?> PollAsync(string agentId, PollOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Agents.Count == 0)
        {
            throw new ArgumentException("Name at least one agent type to poll for.", nameof(options));
        }

        var body = new PollRequest(options.Agents, options.WaitSeconds, options.KillHookUrl);
        using var response = await SendAsync(HttpMethod.Post, "api/v1/agents/" + Escape(agentId) + "/poll", body, cancellationToken, TimeSpan.FromSeconds(options.WaitSeconds)).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        return await ReadJsonAsync<TaskAssignment>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports that the agent is alive and how far it got; the answer carries a pending cancel, if any.</summary>
    /// <param name="task">The task, as the poll handed it over.</param>
    /// <param name="options">Progress, usage and estimate; <see langword="null"/> for a bare heartbeat.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The reply; <see cref="HeartbeatReply.Cancel"/> set when the task must stop.</returns>
    /// <exception cref="LeaseLostException">The lease was fenced or moved: stop working on the task.</exception>
    public Task<HeartbeatReply> HeartbeatAsync(TaskAssignment task, HeartbeatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var body = new HeartbeatRequest(task.LeaseToken, options?.Progress, options?.Usage, options?.Estimate, options?.Checkpoint);
        return SendAsync<HeartbeatReply>(HttpMethod.Post, TaskPath(task) + "/heartbeat", body, cancellationToken);
    }

    /// <summary>Delivers the task's output (<c>POST .../complete</c>).</summary>
    /// <param name="task">The task.</param>
    /// <param name="output">The output; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the server accepted the output.</returns>
    /// <exception cref="TaskCancelledException">The task was cancelled or fenced first; the output is recorded as discarded.</exception>
    /// <exception cref="LeaseLostException">The lease was fenced or moved.</exception>
    public async Task CompleteTaskAsync(TaskAssignment task, JsonElement? output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        using var response = await SendAsync(HttpMethod.Post, TaskPath(task) + "/complete", new CompleteRequest(task.LeaseToken, output), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Says the agent has stopped after a cancel signal (<c>POST .../cancel-ack</c>).</summary>
    /// <param name="task">The task.</param>
    /// <param name="options">The checkpoint and snapshot to hand over; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the server recorded the acknowledgement.</returns>
    public async Task AcknowledgeCancelAsync(TaskAssignment task, CancelAckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var body = new CancelAckRequest(task.LeaseToken, options?.Checkpoint, options?.Snapshot, options?.Usage);
        using var response = await SendAsync(HttpMethod.Post, TaskPath(task) + "/cancel-ack", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports that the task failed (<c>POST .../fail</c>).</summary>
    /// <param name="task">The task.</param>
    /// <param name="error">What went wrong, for operators.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the server recorded the failure.</returns>
    public async Task FailTaskAsync(TaskAssignment task, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        using var response = await SendAsync(HttpMethod.Post, TaskPath(task) + "/fail", new FailRequest(task.LeaseToken, error), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers a provisioned resource in the case's registry (<c>POST .../resources</c>), which releases it through
    /// its webhook if the agent does not free it itself.
    /// </summary>
    /// <param name="task">The task that provisioned the resource.</param>
    /// <param name="options">The resource's id, kind and release webhook.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the resource is registered.</returns>
    public async Task RegisterResourceAsync(TaskAssignment task, RegisterResourceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ResourceId, nameof(options) + "." + nameof(options.ResourceId));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Kind, nameof(options) + "." + nameof(options.Kind));
        if (options.Release is null)
        {
            throw new ArgumentException("Give the resource a release webhook, so the registry can free it after a cancel.", nameof(options));
        }

        var body = new RegisterResourceRequest(task.LeaseToken, options.ResourceId, options.Kind, options.Release);
        using var response = await SendAsync(HttpMethod.Post, TaskPath(task) + "/resources", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Says the agent freed a registered resource itself (<c>DELETE .../resources/{resourceId}</c>).</summary>
    /// <param name="task">The task that registered the resource.</param>
    /// <param name="resourceId">The resource's id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the registry marked the resource released.</returns>
    public async Task ReleaseResourceAsync(TaskAssignment task, string resourceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        // The lease token travels both in the query and in the body: some stacks drop bodies on DELETE.
        var path = TaskPath(task) + "/resources/" + Escape(resourceId) + "?leaseToken=" + Uri.EscapeDataString(task.LeaseToken);
        using var response = await SendAsync(HttpMethod.Delete, path, new LeaseRequest(task.LeaseToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams the cancel signals for every task this agent holds (<c>GET /api/v1/agents/{agentId}/signals</c>,
    /// server-sent events), reconnecting after drops with <c>Last-Event-ID</c> until <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="agentId">This agent's id.</param>
    /// <param name="options">Reconnect settings (<see cref="WatchOptions.StopWhenClosed"/> does not apply); <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The signals as they are pushed.</returns>
    public async IAsyncEnumerable<CancelSignal> WatchSignalsAsync(string agentId, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new WatchOptions();
        var path = "api/v1/agents/" + Escape(agentId) + "/signals";
        var parser = new SseParser(options.LastEventId);
        var failures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var connection = new StreamConnection();
            await foreach (var sseEvent in ReadConnectionAsync(path, parser, connection, cancellationToken).ConfigureAwait(false))
            {
                if (TryParseSignal(sseEvent.Data) is { } signal)
                {
                    yield return signal;
                }
            }

            if (connection.Opened)
            {
                failures = 0;
            }

            var drop = connection.Drop;
            if (drop is not null && ++failures > options.MaxReconnectAttempts)
            {
                throw new IOException($"The signal stream of agent '{agentId}' dropped and {options.MaxReconnectAttempts} reconnects failed: {drop.Message}", drop);
            }

            var delay = parser.Retry ?? options.ReconnectDelay;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static CancelSignal? TryParseSignal(string data)
    {
        if (string.IsNullOrWhiteSpace(data))
        {
            return null;
        }

        try
        {
            var signal = JsonSerializer.Deserialize<CancelSignal>(data, RipcordJson.Options);
            return signal?.TaskId is null ? null : signal;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string TaskPath(TaskAssignment task) => "api/v1/tasks/" + Escape(task.CaseId) + "/" + Escape(task.TaskId);

    private sealed record PollRequest(IReadOnlyList<string> Agents, double WaitSeconds, Uri? KillHookUrl);

    private sealed record HeartbeatRequest(string LeaseToken, double? Progress, Usage? Usage, Usage? Estimate, JsonElement? Checkpoint);

    private sealed record CompleteRequest(string LeaseToken, JsonElement? Output);

    private sealed record CancelAckRequest(string LeaseToken, JsonElement? Checkpoint, JsonElement? Snapshot, Usage? Usage);

    private sealed record FailRequest(string LeaseToken, string Error);

    private sealed record RegisterResourceRequest(string LeaseToken, string ResourceId, string Kind, ResourceRelease Release);

    private sealed record LeaseRequest(string LeaseToken);
}
