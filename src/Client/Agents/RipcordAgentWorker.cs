using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ripcord.Client.Models;

namespace Ripcord.Client.Agents;

/// <summary>
/// Hosts one agent type: keeps the agent's signal stream open, long-polls for tasks while a slot is free, and runs
/// each claimed task in its own DI scope.
/// </summary>
internal sealed partial class RipcordAgentWorker : BackgroundService
{
    private static readonly TimeSpan MaxPollErrorDelay = TimeSpan.FromSeconds(30);

    private readonly string _agentType;
    private readonly Type _agentClass;
    private readonly RipcordAgentOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly RipcordClient _client;
    private readonly RipcordClient? _ownClient;
    private readonly ConcurrentDictionary<(string CaseId, string TaskId), AgentTaskRun> _runs = new();

    public RipcordAgentWorker(string agentType, Type agentClass, RipcordAgentOptions options, IServiceProvider services)
    {
        _agentType = agentType;
        _agentClass = agentClass;
        _options = options;
        _services = services;
        _timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _loggerFactory = services.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<RipcordAgentWorker>();
        AgentId = options.AgentId ?? $"{Environment.MachineName}-{agentType}-{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();

        var shared = services.GetRequiredService<RipcordClient>();
        if (options.BaseAddress is not null || options.ApiKey is not null)
        {
            _ownClient = new RipcordClient(new RipcordClientOptions
            {
                BaseAddress = options.BaseAddress ?? shared.BaseAddress,
                ApiKey = options.ApiKey ?? shared.ApiKey,
            });
        }

        _client = _ownClient ?? shared;
    }

    public string AgentId { get; }

    public override void Dispose()
    {
        _ownClient?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogWorkerStarted(_agentType, AgentId, _options.MaxConcurrentTasks);
        var signals = ListenForSignalsAsync(stoppingToken);
        using var slots = new SemaphoreSlim(_options.MaxConcurrentTasks, _options.MaxConcurrentTasks);
        var running = new ConcurrentDictionary<Task, byte>();
        var pollErrorDelay = _options.PollErrorDelay;
        var poll = new PollOptions { Agents = [_agentType], WaitSeconds = _options.PollWaitSeconds, KillHookUrl = _options.KillHookUrl };

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                TaskAssignment? task;
                try
                {
                    task = await _client.PollAsync(AgentId, poll, stoppingToken).ConfigureAwait(false);
                    pollErrorDelay = _options.PollErrorDelay;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    slots.Release();
                    break;
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever the failure (server down, bad key, unexpected answer), back off and poll again.
                    slots.Release();
                    LogPollFailed(exception, _agentType, pollErrorDelay);
                    await Task.Delay(pollErrorDelay, _timeProvider, stoppingToken).ConfigureAwait(false);
                    pollErrorDelay = TimeSpan.FromTicks(Math.Min(pollErrorDelay.Ticks * 2, MaxPollErrorDelay.Ticks));
                    continue;
                }

                if (task is null)
                {
                    slots.Release();
                    continue;
                }

                var run = RunTaskAsync(task, slots, stoppingToken);
                running.TryAdd(run, 0);
                _ = run.ContinueWith(done => running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running.Keys).ConfigureAwait(false);
        try
        {
            await signals.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        LogWorkerStopped(_agentType, AgentId);
    }

    private async Task RunTaskAsync(TaskAssignment task, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        // Registered before the agent starts, so a signal pushed right after the claim finds its run.
        using var run = new AgentTaskRun(_client, AgentId, task, _options.DefaultHeartbeatInterval, _timeProvider, _loggerFactory.CreateLogger<AgentTaskRun>());
        var key = (task.CaseId, task.TaskId);
        _runs[key] = run;
        try
        {
            LogTaskClaimed(task.CaseId, task.TaskId, _agentType);
            await Task.Yield();
            var scope = _services.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var agent = (IRipcordAgent)ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, _agentClass);
                await run.RunAsync(agent, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // Nothing may escape: an unobserved failure here would leave the slot taken for good.
            LogReportFailed(exception, task.CaseId, task.TaskId);
        }
        finally
        {
            _runs.TryRemove(new KeyValuePair<(string, string), AgentTaskRun>(key, run));
            slots.Release();
        }
    }

    private async Task ListenForSignalsAsync(CancellationToken stoppingToken)
    {
        var options = new WatchOptions { ReconnectDelay = _options.SignalReconnectDelay, MaxReconnectAttempts = int.MaxValue };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var signal in _client.WatchSignalsAsync(AgentId, options, stoppingToken).ConfigureAwait(false))
                {
                    Route(signal);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Heartbeats still carry cancels while the stream is down; keep trying to get the fast path back.
                // Nothing may escape: a faulted listener would stop the whole host when the worker ends.
                LogSignalStreamDropped(exception, AgentId);
                await Task.Delay(_options.SignalReconnectDelay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void Route(CancelSignal signal)
    {
        if (signal is { CaseId: { } caseId, TaskId: { } taskId })
        {
            if (_runs.TryGetValue((caseId, taskId), out var held))
            {
                held.Cancel(signal, "push");
            }
            else
            {
                LogSignalForUnknownTask(caseId, taskId);
            }

            return;
        }

        // A signal without a case id names the task alone: every run of that task id.
        var matched = false;
        foreach (var (key, run) in _runs)
        {
            if (key.TaskId == signal.TaskId)
            {
                run.Cancel(signal, "push");
                matched = true;
            }
        }

        if (!matched)
        {
            LogSignalForUnknownTask(signal.CaseId, signal.TaskId);
        }
    }
}
