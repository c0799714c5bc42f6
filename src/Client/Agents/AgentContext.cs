using System.Text.Json;
using Ripcord.Client.Models;

namespace Ripcord.Client.Agents;

/// <summary>
/// What an agent knows about the task it runs, and its calls back to Ripcord. Progress, usage, estimate and a newly
/// saved checkpoint are sent with the next heartbeat; the checkpoint and snapshot also go with the cancel
/// acknowledgement. Thread safe.
/// </summary>
public sealed partial class AgentContext
{
    private readonly RipcordClient? _client;
    private readonly Func<CancellationToken, Task> _heartbeatNow;
    private readonly Lock _lock = new();
    private double? _progress;
    private Usage? _usage;
    private Usage? _estimate;
    private CancelSignal? _cancelSignal;

    /// <summary>
    /// Creates a context that is not attached to a server, to unit-test an agent: progress, usage, checkpoints and
    /// snapshots are kept and can be read back, <see cref="HeartbeatAsync"/> does nothing, and resource calls go to
    /// <paramref name="client"/> when one is given (otherwise they throw <see cref="InvalidOperationException"/>).
    /// </summary>
    /// <param name="task">The task as a poll would hand it over (case and task ids, input, checkpoint).</param>
    /// <param name="client">A client for resource calls; optional.</param>
    /// <param name="agentId">The agent id to report. Default <c>local</c>.</param>
    public AgentContext(TaskAssignment task, RipcordClient? client = null, string agentId = "local")
        : this(client, agentId, task, _ => System.Threading.Tasks.Task.CompletedTask)
    {
    }

    internal AgentContext(RipcordClient? client, string agentId, TaskAssignment task, Func<CancellationToken, Task> heartbeatNow)
    {
        ArgumentNullException.ThrowIfNull(task);
        _client = client;
        _heartbeatNow = heartbeatNow;
        AgentId = agentId;
        Task = task;
    }

    /// <summary>This worker's agent id.</summary>
    public string AgentId { get; }

    /// <summary>The agent type the task was claimed for.</summary>
    public string AgentType => Task.Agent;

    /// <summary>The case the task belongs to.</summary>
    public string CaseId => Task.CaseId;

    /// <summary>The task id (the process node's id).</summary>
    public string TaskId => Task.TaskId;

    /// <summary>The task's input.</summary>
    public JsonElement? Input => Task.Input;

    /// <summary>The checkpoint the task starts from (for an <c>onCancel</c> fallback, the cancelled task's), or <see langword="null"/>.</summary>
    public JsonElement? Checkpoint => Task.Checkpoint;

    /// <summary>The task as the poll handed it over, lease token included, for calls this context does not wrap.</summary>
    public TaskAssignment Task { get; }

    /// <summary>The cancel signal that stopped the task, once one arrived; otherwise <see langword="null"/>.</summary>
    public CancelSignal? CancelSignal
    {
        get
        {
            lock (_lock)
            {
                return _cancelSignal;
            }
        }
    }

    /// <summary>The last progress reported with <see cref="ReportProgress"/>, or <see langword="null"/>.</summary>
    public double? Progress
    {
        get
        {
            lock (_lock)
            {
                return _progress;
            }
        }
    }

    /// <summary>The compute reported so far, or <see langword="null"/>.</summary>
    public Usage? Usage
    {
        get
        {
            lock (_lock)
            {
                return _usage;
            }
        }
    }

    /// <summary>The last estimate reported, or <see langword="null"/>.</summary>
    public Usage? Estimate
    {
        get
        {
            lock (_lock)
            {
                return _estimate;
            }
        }
    }

    /// <summary>The task's input as <typeparamref name="T"/> (camelCase JSON), or <see langword="default"/> when there is none.</summary>
    /// <typeparam name="T">The input's type.</typeparam>
    /// <returns>The input.</returns>
    public T? GetInput<T>() => Input is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } input
        ? input.Deserialize<T>(RipcordJson.Options)
        : default;

    /// <summary>The starting checkpoint as <typeparamref name="T"/>, or <see langword="default"/> when there is none.</summary>
    /// <typeparam name="T">The checkpoint's type.</typeparam>
    /// <returns>The checkpoint.</returns>
    public T? GetCheckpoint<T>() => Checkpoint is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } checkpoint
        ? checkpoint.Deserialize<T>(RipcordJson.Options)
        : default;

    /// <summary>Reports progress, a fraction from 0 to 1; sent with the next heartbeat.</summary>
    /// <param name="progress">The fraction done.</param>
    public void ReportProgress(double progress)
    {
        if (double.IsNaN(progress) || progress < 0 || progress > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(progress), progress, "Progress is a fraction from 0 to 1.");
        }

        lock (_lock)
        {
            _progress = progress;
        }
    }

    /// <summary>Sets the compute spent so far (totals); sent with the next heartbeat.</summary>
    /// <param name="tokens">Model tokens so far.</param>
    /// <param name="gpuSeconds">GPU seconds so far.</param>
    public void ReportUsage(long tokens, double gpuSeconds)
    {
        lock (_lock)
        {
            _usage = new Usage { Tokens = tokens, GpuSeconds = gpuSeconds };
        }
    }

    /// <summary>Adds to the compute spent so far; sent with the next heartbeat.</summary>
    /// <param name="tokens">Model tokens to add.</param>
    /// <param name="gpuSeconds">GPU seconds to add.</param>
    public void AddUsage(long tokens, double gpuSeconds = 0)
    {
        lock (_lock)
        {
            var current = _usage ?? new Usage();
            _usage = new Usage { Tokens = current.Tokens + tokens, GpuSeconds = current.GpuSeconds + gpuSeconds };
        }
    }

    /// <summary>Sets the compute the task is expected to need in total (what a cancel would save); sent with the next heartbeat.</summary>
    /// <param name="tokens">Expected model tokens.</param>
    /// <param name="gpuSeconds">Expected GPU seconds.</param>
    public void ReportEstimate(long tokens, double gpuSeconds)
    {
        lock (_lock)
        {
            _estimate = new Usage { Tokens = tokens, GpuSeconds = gpuSeconds };
        }
    }

    /// <summary>Sends a heartbeat now rather than at the next interval (for example right after a large step).</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the heartbeat was answered; a cancel in the reply fires the agent's token.</returns>
    public Task HeartbeatAsync(CancellationToken cancellationToken = default) => _heartbeatNow(cancellationToken);

    /// <summary>
    /// Registers a provisioned resource in the case's registry, which frees it through its webhook if the agent does not
    /// (after a cancel, when fenced, or when the case ends).
    /// </summary>
    /// <param name="options">The resource's id, kind and release webhook.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the resource is registered.</returns>
    public Task RegisterResourceAsync(RegisterResourceOptions options, CancellationToken cancellationToken = default) =>
        Client.RegisterResourceAsync(Task, options, cancellationToken);

    /// <summary>Says the agent freed a registered resource itself.</summary>
    /// <param name="resourceId">The resource's id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the registry marked it released.</returns>
    public Task ReleaseResourceAsync(string resourceId, CancellationToken cancellationToken = default) =>
        Client.ReleaseResourceAsync(Task, resourceId, cancellationToken);

    private RipcordClient Client => _client ?? throw new InvalidOperationException("This context is not attached to a Ripcord server; pass a RipcordClient to its constructor to make resource calls.");

    internal bool TrySetCancelSignal(CancelSignal signal)
    {
        lock (_lock)
        {
            if (_cancelSignal is not null)
            {
                return false;
            }

            _cancelSignal = signal;
            return true;
        }
    }
}
