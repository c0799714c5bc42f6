using Ripcord.Grains.Cases;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;

namespace Ripcord.Simulation;

/// <summary>
/// The guarantees of the cancellation protocol, checked on every turn, after every step and once the system has
/// settled. Each throws <see cref="InvariantViolation"/> naming the guarantee.
/// </summary>
internal sealed partial class Invariants(World world)
{
    public const string Lifecycle = "1 terminal statuses are absorbing and every status change is one the lifecycle tables allow";
    public const string CaseEnds = "2 a case ends only when every task is terminal and no resource is held or releasing";
    public const string NoStartAfterCancel = "3 after a Cancel Case no node starts and the close node never runs";
    public const string XorJoin = "4 an XOR join takes exactly one output and records each later one as discarded";
    public const string AppliedOnce = "5 a message applied twice has one effect";
    public const string Fencing = "6 a fenced or replaced lease is refused for every agent call";
    public const string ReleaseOnce = "7 each resource is released at most once and, once the case has ended, exactly once or declared orphaned";
    public const string NeverLost = "8 a request answered as accepted is never lost across crashes";
    public const string Measures = "9 the measures add up";
    public const string Redacted = "10 once its case is redacted, a case, task or registry turn leaves no payload behind";

    /// <summary>Checks one message a turn applied.</summary>
    public void OnTurn(SimCase simCase, TurnStep step)
    {
        switch (step.Before)
        {
            case CaseState before:
                OnCaseTurn(simCase, before, (CaseState)step.After, step);
                KeepsNoPayload((CaseState)step.After);
                break;
            case TaskState before:
                var after = (TaskState)step.After;
                Recorded(step, "task_" + ApiNames.Of(after.Status), before.TaskId, before.Exists && before.Status != after.Status);
                if (step.Message is RegisterResource late && TaskLifecycle.IsTerminal(before.Status))
                {
                    simCase.RegisteredAfterTheirTask.Add(late.ResourceId);
                }

                OnTaskTurn(before, after, step.Message, step.Reply);
                OnRace(before, after, step);
                KeepsNoPayload(after);
                break;
            case RegistryState before:
                OnRegistryTurn(before, (RegistryState)step.After, step);
                KeepsNoPayload((RegistryState)step.After);
                break;
        }
    }

    private static void OnCaseTurn(SimCase simCase, CaseState before, CaseState after, TurnStep step)
    {
        if (!before.Exists)
        {
            return;
        }

        if (before.Status != after.Status && !Reachable(before.Status, after.Status, CaseLifecycle.CanMove))
        {
            Fail(Lifecycle, $"case {after.CaseId} moved {before.Status} -> {after.Status}");
        }

        Recorded(step, "case_" + ApiNames.Of(after.Status), null, before.Status != after.Status);

        foreach (var (id, was) in before.Nodes)
        {
            var now = after.Nodes[id];
            var allowed = was.Status switch
            {
                CaseTaskStatus.Pending => true,
                CaseTaskStatus.Ready => now.Status == CaseTaskStatus.Ready || TaskLifecycle.IsTerminal(now.Status),
                // A redaction erases an ended node's output; nothing else changes it.
                _ => now.Status == was.Status && (SameJson(now.Output, was.Output) || (after.RedactedAt is not null && now.Output is null)),
            };
            if (!allowed)
            {
                Fail(Lifecycle, $"case {after.CaseId} moved node {id} {was.Status} -> {now.Status} (or changed its output once ended)");
            }

            // The case records the moves it decides itself; a started task's are its task grain's to record.
            Recorded(step, "task_" + ApiNames.Of(now.Status), id, was.Status == CaseTaskStatus.Pending && now.Status is not (CaseTaskStatus.Pending or CaseTaskStatus.Ready));
        }

        var history = step.Added.Where(e => e.Kind == OutboxKind.History).Select(e => e.History!.Event).ToList();
        simCase.Holds += history.Count(h => h.Type == "case_cancel_pending");
        if (after.CancelRequest is { ExecutedAt: not null, OverriddenAt: null }
            && step.Added.FirstOrDefault(e => e.Kind == OutboxKind.Mail && e.Message!.ToMessage() is StartTask) is { } start)
        {
            Fail(NoStartAfterCancel, $"case {after.CaseId} started {((StartTask)start.Message!.ToMessage()).Node.Id} after its Cancel Case");
        }

        foreach (var taken in history.Where(h => h.Type == "join_first_taken"))
        {
            if (!simCase.JoinsTaken.Add(taken.TaskId!))
            {
                Fail(XorJoin, $"join {taken.TaskId} of case {after.CaseId} took a second output");
            }
        }

        var definition = after.Definition!;
        foreach (var join in definition.Nodes.Where(n => n.JoinMode == JoinMode.First))
        {
            if (before.Nodes[join.Id].Status != CaseTaskStatus.Completed)
            {
                continue;
            }

            foreach (var predecessor in definition.PredecessorsOf(join.Id))
            {
                if (before.Nodes[predecessor].Status != CaseTaskStatus.Completed && after.Nodes[predecessor].Status == CaseTaskStatus.Completed
                    && !history.Any(h => h.Type == "output_discarded" && h.TaskId == predecessor))
                {
                    Fail(XorJoin, $"the output of {predecessor} came after join {join.Id} of case {after.CaseId} took one, and was not recorded as discarded");
                }
            }
        }

        if (before.Status != CaseStatus.Cancelled && after.Status == CaseStatus.Cancelled)
        {
            CheckEnded(simCase, after);
        }
    }

    /// <summary>
    /// At the turn a case becomes cancelled: every node and every task grain terminal, no resource held or releasing
    /// but one registered after its task had ended (concurrent with the case's end, it may come after it).
    /// </summary>
    private static void CheckEnded(SimCase simCase, CaseState state)
    {
        if (state.Nodes.Values.FirstOrDefault(n => !TaskLifecycle.IsTerminal(n.Status)) is { } open)
        {
            Fail(CaseEnds, $"case {state.CaseId} ended with node {open.NodeId} {open.Status}");
        }

        if (simCase.Tasks.Values.FirstOrDefault(t => t.State.Exists && !TaskLifecycle.IsTerminal(t.State.Status)) is { } task)
        {
            Fail(CaseEnds, $"case {state.CaseId} ended with task grain {task.State.TaskId} {task.State.Status}");
        }

        if (simCase.Registry.State.Resources.Values.FirstOrDefault(r => !ResourceLifecycle.IsTerminal(r.Status) && !simCase.RegisteredAfterTheirTask.Contains(r.ResourceId)) is { } held)
        {
            Fail(CaseEnds, $"case {state.CaseId} ended with resource {held.ResourceId} {held.Status}");
        }
    }

    private static void OnTaskTurn(TaskState before, TaskState after, object message, object? reply)
    {
        if (before.Exists && before.Status != after.Status
            && (TaskLifecycle.IsTerminal(before.Status) || !Reachable(before.Status, after.Status, (f, t) => TaskLifecycle.CanMove(f, t))))
        {
            Fail(Lifecycle, $"task {after.CaseId}/{after.TaskId} moved {before.Status} -> {after.Status}");
        }

        // A standard cancel fences no earlier than the deadline its signal named (at least the grace period).
        if (before.Cancel?.Fenced != true && after.Cancel is { Fenced: true, Mode: CancelMode.Standard, FencedAt: { } fencedAt } cancel && fencedAt < cancel.Deadline)
        {
            Fail(Fencing, $"task {after.CaseId}/{after.TaskId} was fenced at {fencedAt:O}, before the deadline {cancel.Deadline:O} its signal named");
        }

        var token = message switch
        {
            Heartbeat m => m.LeaseToken,
            CompleteTask m => m.LeaseToken,
            FailTask m => m.LeaseToken,
            AckCancel m => m.LeaseToken,
            RegisterResource m => m.LeaseToken,
            FreeResource m => m.LeaseToken,
            _ => null,
        };
        if (token is null || reply is null)
        {
            return;
        }

        var ok = reply is TaskCommandResult { Status: CommandStatus.Ok } or HeartbeatResult { Status: CommandStatus.Ok };
        var retry = token == before.LeaseToken
            && ((message is CompleteTask && before.Status == CaseTaskStatus.Completed) || (message is AckCancel && before.Cancel is { AckedAt: not null, Fenced: false }));
        if (before.RevokedTokens.Contains(token) && !retry && (ok || after.Status != before.Status || !SameJson(after.Output, before.Output)))
        {
            Fail(Fencing, $"task {after.CaseId}/{after.TaskId} took {message.GetType().Name} with revoked token {token} ({reply})");
        }

        if (ok && ((message is CompleteTask && after.Status != CaseTaskStatus.Completed) || (message is AckCancel && after.Status != CaseTaskStatus.Cancelled)))
        {
            Fail(NeverLost, $"task {after.CaseId}/{after.TaskId} answered {message.GetType().Name} ok but is {after.Status}");
        }
    }

    /// <summary>A completion and a cancel of one task have one winner, decided by the task's serial turns; the loser is in the history.</summary>
    private static void OnRace(TaskState before, TaskState after, TurnStep step)
    {
        var lost = step.Message switch
        {
            CancelTask when before.Status is CaseTaskStatus.Completed or CaseTaskStatus.Failed => "cancel_lost_race",
            CompleteTask when before.Status == CaseTaskStatus.Cancelling || before.Cancel?.Fenced == true => "late_output_discarded",
            _ => null,
        };
        if (lost is not null && (after.Status == CaseTaskStatus.Completed) != (before.Status == CaseTaskStatus.Completed))
        {
            Fail(Lifecycle, $"task {after.CaseId}/{after.TaskId} changed its winner on {step.Message.GetType().Name}: {before.Status} -> {after.Status}");
        }

        if (lost is not null && !step.Added.Any(e => e.Kind == OutboxKind.History && e.History!.Event.Type == lost))
        {
            Fail(Lifecycle, $"task {after.CaseId}/{after.TaskId} lost a race to {step.Message.GetType().Name} without recording {lost}");
        }
    }

    private static void OnRegistryTurn(RegistryState before, RegistryState after, TurnStep step)
    {
        foreach (var (id, now) in after.Resources)
        {
            Recorded(step, "resource_" + ApiNames.Of(now.Status), now.TaskId, before.Resources.GetValueOrDefault(id)?.Status is { } was ? was != now.Status : now.Status != ResourceStatus.Held);
        }

        foreach (var (id, was) in before.Resources)
        {
            if (!after.Resources.TryGetValue(id, out var now)
                || (was.Status != now.Status && (ResourceLifecycle.IsTerminal(was.Status) || !Reachable(was.Status, now.Status, ResourceLifecycle.CanMove))))
            {
                Fail(Lifecycle, $"resource {after.CaseId}/{id} moved {was.Status} -> {now?.Status.ToString() ?? "gone"}");
            }
        }

        foreach (var entry in step.Added.Where(e => e.Kind == OutboxKind.Publish))
        {
            if (entry.Message!.ToMessage() is not ResourceReleaseRequest request)
            {
                continue;
            }

            var was = before.Resources.GetValueOrDefault(request.ResourceId);
            if ((was is not null && (ResourceLifecycle.IsTerminal(was.Status) || (was.Status == ResourceStatus.Releasing && was.Attempts >= request.Attempt)))
                || after.Resources[request.ResourceId] is not { Status: ResourceStatus.Releasing } now || now.Attempts != request.Attempt)
            {
                Fail(ReleaseOnce, $"resource {after.CaseId}/{request.ResourceId} got release attempt {request.Attempt} while {was?.Status.ToString() ?? "new"} after {was?.Attempts} attempts");
            }
        }
    }

    /// <summary>A status change goes through its lifecycle's transition, which records it: its turn must hold the event.</summary>
    private static void Recorded(TurnStep step, string type, string? taskId, bool changed)
    {
        if (changed && !step.Added.Any(e => e.Kind == OutboxKind.History && e.History!.Event.Type == type && (taskId is null || e.History.Event.TaskId == taskId)))
        {
            Fail(Lifecycle, $"a turn moved {taskId ?? "the case"} to {type} without recording it");
        }
    }

    private static bool SameJson(System.Text.Json.JsonElement? a, System.Text.Json.JsonElement? b) =>
        a is null ? b is null : b is not null && a.Value.GetRawText() == b.Value.GetRawText();

    /// <summary>Whether <paramref name="to"/> can be reached from <paramref name="from"/> by allowed moves (a turn may take several).</summary>
    private static bool Reachable<T>(T from, T to, Func<T, T, bool> canMove)
        where T : struct, Enum
    {
        var seen = new HashSet<T> { from };
        var queue = new Queue<T>([from]);
        while (queue.TryDequeue(out var status))
        {
            foreach (var next in Statuses<T>.All)
            {
                if (canMove(status, next) && seen.Add(next))
                {
                    if (EqualityComparer<T>.Default.Equals(next, to))
                    {
                        return true;
                    }

                    queue.Enqueue(next);
                }
            }
        }

        return false;
    }

    private static void Fail(string invariant, string detail) => throw new InvariantViolation(invariant, detail);

    private static class Statuses<T>
        where T : struct, Enum
    {
        public static readonly T[] All = Enum.GetValues<T>();
    }
}
