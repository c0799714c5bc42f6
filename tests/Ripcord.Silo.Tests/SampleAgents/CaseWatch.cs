using Ripcord.Client;
using Ripcord.Client.Models;

namespace Ripcord.Silo.Tests.SampleAgents;

/// <summary>
/// Follows a case's event stream (the SDK's <c>WatchAsync</c> over SSE) in the background, so a test waits for the
/// events it needs instead of sleeping. Every wait has a timeout only as a safety net.
/// </summary>
public sealed class CaseWatch : IAsyncDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(45);

    private readonly List<CaseEvent> _events = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _failure;

    public CaseWatch(CaseHandle handle)
    {
        _reader = ReadAsync(handle);
    }

    public IReadOnlyList<CaseEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public Task<CaseEvent> WaitForAsync(string type, string? taskId = null) =>
        WaitForAsync(e => e.Type == type && (taskId is null || e.TaskId == taskId), taskId is null ? type : $"{type} of {taskId}");

    public async Task<CaseEvent> WaitForAsync(Func<CaseEvent, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(SafetyNet);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_events.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                if (_failure is not null)
                {
                    throw new InvalidOperationException($"The event stream failed before {what} arrived.", _failure);
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {what} within {SafetyNet.TotalSeconds}s; saw: {string.Join(", ", Events.Select(e => $"{e.Type}({e.TaskId})"))}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(CaseHandle handle)
    {
        try
        {
            // Keep reading after the case closes: late writes (a fenced agent's output) come after case_cancelled.
            await foreach (var e in handle.WatchAsync(new WatchOptions { StopWhenClosed = false }, _stop.Token))
            {
                Publish(e, null);
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            Publish(null, e);
        }
    }

    private void Publish(CaseEvent? e, Exception? failure)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (e is not null)
            {
                _events.Add(e);
            }

            _failure ??= failure;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
