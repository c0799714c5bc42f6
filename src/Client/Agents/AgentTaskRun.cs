using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ripcord.Client.Models;

namespace Ripcord.Client.Agents;

/// <summary>
/// One claimed task from start to its report: runs the agent, heartbeats beside it, turns cancel signals and a lost
/// lease into the agent's token, then completes, fails or acknowledges the cancel.
/// </summary>
internal sealed partial class AgentTaskRun : IDisposable
{
    private const int ReportAttempts = 3;

    // Reports are sent after the agent's token may have fired (host stopping), so they get their own bounded budget.
    private static readonly TimeSpan ReportBudget = TimeSpan.FromSeconds(30);

    private readonly RipcordClient _client;
    private readonly TaskAssignment _task;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _heartbeatInterval;
    private readonly CancellationTokenSource _cancelled = new();
    private readonly CancellationTokenSource _leaseLost = new();

    public AgentTaskRun(RipcordClient client, string agentId, TaskAssignment task, TimeSpan defaultHeartbeatInterval, TimeProvider timeProvider, ILogger logger)
    {
        _client = client;
        _task = task;
        _logger = logger;
        _timeProvider = timeProvider;
        _heartbeatInterval = task.HeartbeatSeconds > 0 ? TimeSpan.FromSeconds(task.HeartbeatSeconds) : defaultHeartbeatInterval;
        Context = new AgentContext(client, agentId, task, SendHeartbeatAsync);
    }

    public AgentContext Context { get; }

    public string CaseId => _task.CaseId;

    public string TaskId => _task.TaskId;

    public void Cancel(CancelSignal signal, string via)
    {
        if (!Context.TrySetCancelSignal(signal))
        {
            return;
        }

        LogCancelReceived(_task.CaseId, _task.TaskId, signal.Mode, via, signal.Reason);
        Fire(_cancelled);
    }

    // The token's callbacks (the agent's own continuations among them) run on the thread pool, not on the signal
    // listener or heartbeat loop that noticed the cancel, so one slow agent cannot hold up signals for the others.
    private static void Fire(CancellationTokenSource source)
    {
        try
        {
            _ = source.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The run already ended; a late signal has nothing left to stop.
        }
    }

    public async Task RunAsync(IRipcordAgent agent, CancellationToken stoppingToken)
    {
        using var agentToken = CancellationTokenSource.CreateLinkedTokenSource(_cancelled.Token, _leaseLost.Token, stoppingToken);
        using var stopHeartbeats = new CancellationTokenSource();
        var heartbeats = HeartbeatLoopAsync(stopHeartbeats.Token);

        JsonElement? output = null;
        Exception? failure = null;
        var stoppedByToken = false;
        try
        {
            output = await agent.RunAsync(Context, agentToken.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (agentToken.IsCancellationRequested)
        {
            stoppedByToken = true;
        }
        catch (Exception exception)
        {
            failure = exception;
        }
        finally
        {
            await stopHeartbeats.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(false);
        }

        if (_leaseLost.IsCancellationRequested)
        {
            // Someone else may hold the task now; any report from us would be rejected and recorded as late.
            return;
        }

        if (Context.CancelSignal is not null)
        {
            var ack = Context.CurrentAck();
            if (await ReportAsync("cancel-ack", token => _client.AcknowledgeCancelAsync(_task, ack, token)).ConfigureAwait(false))
            {
                LogCancelAcknowledged(_task.CaseId, _task.TaskId, ack.Checkpoint is not null);
            }

            return;
        }

        if (stoppedByToken)
        {
            // The host is stopping: the lease runs out and the engine hands the task to another agent.
            LogTaskAbandoned(_task.CaseId, _task.TaskId);
            return;
        }

        if (failure is not null)
        {
            LogTaskFailed(failure, _task.CaseId, _task.TaskId);
            var error = $"{failure.GetType().Name}: {failure.Message}";
            await ReportAsync("fail", token => _client.FailTaskAsync(_task, error, token)).ConfigureAwait(false);
            return;
        }

        if (await ReportAsync("complete", token => _client.CompleteTaskAsync(_task, output, token)).ConfigureAwait(false))
        {
            LogTaskCompleted(_task.CaseId, _task.TaskId);
        }
    }

    public void Dispose()
    {
        _cancelled.Dispose();
        _leaseLost.Dispose();
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !_leaseLost.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_heartbeatInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await SendHeartbeatAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendHeartbeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (heartbeat, checkpointVersion) = Context.CurrentHeartbeat();
            var reply = await _client.HeartbeatAsync(_task, heartbeat, cancellationToken).ConfigureAwait(false);
            Context.CheckpointSent(checkpointVersion);
            if (reply.Cancel is { } signal)
            {
                Cancel(signal with { CaseId = signal.CaseId ?? _task.CaseId, TaskId = signal.TaskId ?? _task.TaskId }, "heartbeat");
            }
        }
        catch (LeaseLostException exception)
        {
            LoseLease(exception);
        }
        catch (TaskCancelledException exception)
        {
            Cancel(new CancelSignal { CaseId = _task.CaseId, TaskId = _task.TaskId, Reason = exception.Detail }, "heartbeat");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // A missed heartbeat is not fatal (the next one may get through before the lease runs out), and whatever
            // went wrong must not take the agent's run down with it.
            LogHeartbeatFailed(exception, _task.CaseId, _task.TaskId);
        }
    }

    private void LoseLease(Exception exception)
    {
        if (_leaseLost.IsCancellationRequested)
        {
            return;
        }

        LogLeaseLost(exception, _task.CaseId, _task.TaskId);
        Fire(_leaseLost);
    }

    private async Task<bool> ReportAsync(string what, Func<CancellationToken, Task> call)
    {
        using var budget = new CancellationTokenSource(ReportBudget, _timeProvider);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call(budget.Token).ConfigureAwait(false);
                return true;
            }
            catch (LeaseLostException exception)
            {
                LogLeaseLost(exception, _task.CaseId, _task.TaskId);
                return false;
            }
            catch (TaskCancelledException exception)
            {
                LogOutputDiscarded(_task.CaseId, _task.TaskId, what, exception.Detail);
                return false;
            }
            catch (Exception exception) when (attempt < ReportAttempts && IsRetryable(exception) && !budget.IsCancellationRequested)
            {
                LogReportFailed(exception, what, _task.CaseId, _task.TaskId, attempt);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _timeProvider, budget.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
            catch (Exception exception) when (IsRetryable(exception) || exception is RipcordException or OperationCanceledException)
            {
                LogReportFailed(exception, what, _task.CaseId, _task.TaskId, attempt);
                return false;
            }
        }
    }

    private static bool IsRetryable(Exception exception) => exception switch
    {
        HttpRequestException or TimeoutException or IOException => true,
        RipcordException ripcord => ripcord.Status >= 500,
        _ => false,
    };
}
