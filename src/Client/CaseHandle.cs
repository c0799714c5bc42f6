using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary>
/// A handle to one case: describe, watch and cancel it. Cheap to create (<see cref="RipcordClient.GetCase"/>
/// calls no server); every method is one HTTP call except <see cref="WatchAsync"/>.
/// </summary>
public sealed class CaseHandle
{
    private readonly RipcordClient _client;

    internal CaseHandle(RipcordClient client, string caseId, StartCaseResult? startResult)
    {
        _client = client;
        CaseId = caseId;
        StartResult = startResult;
    }

    /// <summary>The case id.</summary>
    public string CaseId { get; }

    /// <summary>The server's answer when the handle came from <see cref="RipcordClient.StartCaseAsync"/>; otherwise <see langword="null"/>.</summary>
    public StartCaseResult? StartResult { get; }

    private string CasePath => "api/v1/cases/" + RipcordClient.Escape(CaseId);

    /// <summary>Reads the case's full state: status, tasks, resources and history (<c>GET /api/v1/cases/{caseId}</c>).</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The case.</returns>
    /// <exception cref="CaseNotFoundException">No case has this id.</exception>
    public Task<CaseDescription> DescribeAsync(CancellationToken cancellationToken = default) =>
        _client.SendAsync<CaseDescription>(HttpMethod.Get, CasePath, body: null, cancellationToken);

    /// <summary>
    /// Cancels the case (Cancel Case). The request is durable when this returns; the case then goes <c>cancelling</c>,
    /// <c>force_cancelling</c> or, with a hold, <c>cancel_pending</c>. On a case already closed nothing changes and
    /// <see cref="CancelResult.AlreadyClosed"/> is <see langword="true"/>. A force on a case already cancelling escalates it.
    /// </summary>
    /// <param name="options">Mode, reason, hold and grace period; <see langword="null"/> for a standard cancel with the process's defaults.</param>
    /// <param name="cancellationToken">Stops waiting for the answer (the cancel may still have been recorded).</param>
    /// <returns>Whether the case was already closed, and its status.</returns>
    /// <exception cref="ForbiddenException">The API key has no admin rights on the case (the attempt is recorded in its history).</exception>
    /// <exception cref="CaseNotFoundException">No case has this id.</exception>
    public Task<CancelResult> CancelAsync(CancelOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CancelOptions();
        var body = new CancelCaseRequest(options.Mode, options.Reason, options.GracePeriodSeconds, options.HoldSeconds);
        return _client.SendAsync<CancelResult>(HttpMethod.Post, CasePath + "/cancel", body, cancellationToken);
    }

    /// <summary>Runs a cancel that waits in its confirmation hold now (<c>POST .../cancel/confirm</c>).</summary>
    /// <param name="options">An optional reason.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The case's status after the call.</returns>
    /// <exception cref="ConflictException">The case has no cancel in a hold.</exception>
    public Task<CancelResult> ConfirmCancelAsync(ConfirmCancelOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CancelResult>(HttpMethod.Post, CasePath + "/cancel/confirm", new ReasonRequest(options?.Reason), cancellationToken);

    /// <summary>
    /// Withdraws a cancel during its confirmation hold (<c>POST .../cancel/override</c>): the case runs on, and the
    /// cancel counts as a false cancellation.
    /// </summary>
    /// <param name="options">An optional reason.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The case's status after the call.</returns>
    /// <exception cref="ConflictException">The case has no cancel in a hold.</exception>
    public Task<CancelResult> OverrideCancelAsync(OverrideCancelOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CancelResult>(HttpMethod.Post, CasePath + "/cancel/override", new ReasonRequest(options?.Reason), cancellationToken);

    /// <summary>
    /// Erases an ended case's payloads now (<c>POST .../purge</c>, role admin) instead of at the end of its process's
    /// retention period: its input, outputs, checkpoints and resource details go; its history keeps every event with
    /// the payloads redacted. Repeating it answers with the first redaction.
    /// </summary>
    /// <param name="options">An optional reason.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>When and by whom the case was redacted.</returns>
    /// <exception cref="ConflictException">The case has not ended.</exception>
    public Task<PurgeResult> PurgeAsync(PurgeOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<PurgeResult>(HttpMethod.Post, CasePath + "/purge", new ReasonRequest(options?.Reason), cancellationToken);

    /// <summary>
    /// Cancels one task (Cancel Activity): the task's agent is signalled, and the case follows the node's
    /// <c>onCancel</c> route if it has one.
    /// </summary>
    /// <param name="taskId">The task id (its node id).</param>
    /// <param name="options">An optional reason.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns><see cref="TaskCancelResult.AlreadyClosed"/> when the task had already ended.</returns>
    /// <exception cref="TaskNotFoundException">The case has no such task.</exception>
    public Task<TaskCancelResult> CancelTaskAsync(string taskId, CancelTaskOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = CasePath + "/tasks/" + RipcordClient.Escape(taskId) + "/cancel";
        return _client.SendAsync<TaskCancelResult>(HttpMethod.Post, path, new ReasonRequest(options?.Reason), cancellationToken);
    }

    /// <summary>Cancels several tasks of the case at once (multi-task Cancel Activity).</summary>
    /// <param name="taskIds">The task ids; at least one.</param>
    /// <param name="options">An optional reason.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The server's answer.</returns>
    public Task<TaskCancelResult> CancelTasksAsync(IEnumerable<string> taskIds, CancelTaskOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        var ids = taskIds.ToList();
        if (ids.Count == 0 || ids.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one task, and no empty task id.", nameof(taskIds));
        }

        return _client.SendAsync<TaskCancelResult>(HttpMethod.Post, CasePath + "/tasks/cancel", new CancelTasksRequest(ids, options?.Reason), cancellationToken);
    }

    /// <summary>
    /// Streams the case's history as it happens (server-sent events from <c>GET /api/v1/cases/{caseId}/events</c>).
    /// Reconnects after a drop with <c>Last-Event-ID</c>, so no event is missed or repeated; ends when the case is
    /// closed (see <see cref="WatchOptions.StopWhenClosed"/>) or when <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="options">Where to resume and how to reconnect; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The case's history events, oldest first.</returns>
    /// <exception cref="CaseNotFoundException">No case has this id.</exception>
    public IAsyncEnumerable<CaseEvent> WatchAsync(WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.WatchCaseAsync(this, options ?? new WatchOptions(), cancellationToken);

    private sealed record CancelCaseRequest(CancelMode Mode, string? Reason, double? GracePeriodSeconds, double? HoldSeconds);

    private sealed record ReasonRequest(string? Reason);

    private sealed record CancelTasksRequest(IReadOnlyList<string> TaskIds, string? Reason);
}
