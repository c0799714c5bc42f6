using System.Runtime.ExceptionServices;
using Orleans.Runtime;
using Orleans.Storage;
using Ripcord.Contracts;
using Ripcord.Grains.Diagnostics;

namespace Ripcord.Grains.Durability;

/// <summary>
/// The durability protocol Ripcord adds to Orleans, which delivers a call at most once. A turn decides through the
/// grain's pure machine, then writes its new state together with an outbox of everything that must leave it, and
/// only then lets anything leave: its history and index row (before the turn answers, so a reader who got the answer
/// sees them), then its messages to other grains and its published work (after, from an interleaving flush).
/// Receivers apply a sender's sequence once. Undelivered entries are retried with backoff from a grain timer; a
/// reminder brings the grain back after its silo dies while anything is pending. Deadlines are absolute times in
/// state, fired by a timer on the domain clock and re-armed on activation. A write that loses its ETag race throws
/// <see cref="InconsistentStateException"/> out of the turn, so Orleans deactivates the stale activation and nothing
/// of that turn leaves.
/// </summary>
/// <remarks>
/// Turns commit as a group. The grains are reentrant: calls interleave, and this class serializes their turns
/// itself. What arrives while a turn is being written waits and is applied in the next write, one message after the
/// other through the machine, each answered once that write is done. A case whose hundred tasks end at once writes
/// its record a few times, not a hundred. Reads (views) see the last written state.
/// </remarks>
public abstract partial class DurableGrain<TState> : Grain, IDurableGrain, IRemindable
    where TState : class
{
    private const string RecoveryReminderName = DeadSiloRecovery.ReminderName;

    private readonly IPersistentState<GrainRecord<TState>> _store;
    private readonly DurableGrainServices _services;
    private readonly HashSet<long> _delivered = [];
    private readonly HashSet<string> _sending = new(StringComparer.Ordinal);
    private readonly List<PendingTurn> _waiting = [];
    private GrainRecord<TState> _committed = new();
    private IDurableGrain? _self;
    private bool _turning;

    protected DurableGrain(IPersistentState<GrainRecord<TState>> store, DurableGrainServices services)
    {
        _store = store;
        _services = services;
    }

    protected string Key => this.GetPrimaryKeyString();

    /// <summary>The state of the last written turn.</summary>
    protected TState State => _committed.State!;

    protected DurableGrainServices Services => _services;

    protected DateTimeOffset Now => _services.Clock.Now;

    /// <summary>The state of a grain that never wrote a turn.</summary>
    protected abstract TState CreateState(string key);

    /// <summary>The grain's transition function.</summary>
    protected abstract Decision<TState> Decide(TState state, object message, DateTimeOffset now);

    /// <summary>The case index row to write after a turn that changed <paramref name="before"/> into <paramref name="after"/>; null when unchanged.</summary>
    protected virtual CaseIndexEntry? IndexEntry(TState before, TState after, long version) => null;

    /// <summary>
    /// Whether a turn's mail to <paramref name="target"/> is delivered before the turn ends (and a command answers). Only down the
    /// case's hierarchy (case to task and registry, task to registry), so two grains never wait on each other; mail up
    /// (a task's end to its case) always leaves from the flush.
    /// </summary>
    protected virtual bool DeliversInline(string target) => false;

    /// <summary>The case whose history this grain appends to.</summary>
    protected abstract string CaseIdOf(TState state);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _committed = _store.State is { State: not null } stored ? stored : new GrainRecord<TState> { State = CreateState(Key) };
        _self = this.AsReference<IDurableGrain>();
        ArmDeadlines();
        if (HasUndelivered(_committed))
        {
            StartFlush();
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;

        // Orleans ends live activations too: on a surviving silo, every one whose directory registration a dead silo
        // held; on a silo that stops, all of them. Work this one still holds goes on in a new activation at once (on a
        // stopping silo, on another one), not when the recovery reminder next ticks, up to a recovery period later.
        if (_self is not null && HasWorkBeforeRecovery() && _services.Peers.CanHandOver(reason))
        {
            _self.Wake().Ignore();
        }

        return Task.CompletedTask;
    }

    public Task Wake() => Task.CompletedTask;

    public Task Deliver(Mail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return RunTurnAsync(new PendingTurn(mail.Message, mail, null));
    }

    public async Task FireDeadlines()
    {
        while (EarliestDue(Now) is { } due)
        {
            await RunTurnAsync(new PendingTurn(due.Message.ToMessage(), null, due));
        }

        // The timer that called this has fired: arm anew for whatever is now the earliest.
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        _armedFor = null;
        ArmDeadlines();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RecoveryReminderName)
        {
            return;
        }

        // Activation re-armed the deadlines and restarted the flush; a grain with nothing left lets the reminder go, and
        // one left with only a far deadline puts it off until then.
        if (!HasUndelivered(_committed) && (_committed.Deadlines.IsEmpty || FarRecovery(_committed) is not null))
        {
            await CompactAsync();
        }
        else
        {
            await FireDeadlines();
        }
    }

    /// <summary>Runs a command and returns its reply; the reply arrives only after the turn was written.</summary>
    protected async Task<TReply> Command<TReply>(object message)
        where TReply : class
    {
        var reply = await RunTurnAsync(new PendingTurn(message, null, null));
        return reply as TReply ?? throw new InvalidOperationException($"{GetType().Name} did not answer {message.GetType().Name} with a {typeof(TReply).Name}.");
    }

    /// <summary>Runs a one-way command (nothing to answer).</summary>
    protected Task Notify(object message) => RunTurnAsync(new PendingTurn(message, null, null));

    /// <summary>
    /// Runs <paramref name="turn"/> at once when no turn is being written, else after it, together with whatever else
    /// waits. Returns the turn's reply once the write that holds it is done.
    /// </summary>
    private async Task<object?> RunTurnAsync(PendingTurn turn)
    {
        if (_turning)
        {
            _waiting.Add(turn);
            return await turn.Completion;
        }

        _turning = true;
        try
        {
            await CommitAsync(WithNotices(turn));
        }
        finally
        {
            LeaveTurn();
        }

        return turn.Outcome();
    }

    /// <summary>Hands the turn on to what waited for it, in the background, or frees it.</summary>
    private void LeaveTurn()
    {
        if (_waiting.Count == 0)
        {
            _turning = false;
            return;
        }

        // The waiting turns are not part of the call that ran this one: do not carry its context to them.
        using (ExecutionContext.SuppressFlow())
        {
            _ = RunWaitingAsync();
        }
    }

    private async Task RunWaitingAsync()
    {
        try
        {
            while (_waiting.Count > 0)
            {
                var group = WithNotices([.. _waiting]);
                _waiting.Clear();
                await CommitAsync(group);
                foreach (var turn in group)
                {
                    turn.Complete();
                }
            }
        }
        finally
        {
            _turning = false;
        }
    }

    /// <summary>One message to apply: a command, a mail, or a fired deadline; and, once its group was written, its outcome.</summary>
    private sealed class PendingTurn(object message, Mail? mail, Deadline? deadline)
    {
        private TaskCompletionSource<object?>? _completion;
        private object? _reply;
        private Exception? _failure;

        public object Message { get; } = message;

        public Mail? Mail { get; } = mail;

        public Deadline? Deadline { get; } = deadline;

        /// <summary>Set only for a turn that waits on another's write.</summary>
        public Task<object?> Completion => (_completion ??= new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public void Answer(object? reply) => _reply = reply;

        public void Fail(Exception failure) => _failure ??= failure;

        public object? Outcome()
        {
            if (_failure is not null)
            {
                ExceptionDispatchInfo.Throw(_failure);
            }

            return _reply;
        }

        public void Complete()
        {
            if (_failure is null)
            {
                _completion?.TrySetResult(_reply);
            }
            else
            {
                _completion?.TrySetException(_failure);
            }
        }
    }
}
