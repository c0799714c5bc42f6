using Ripcord.Grains.Cases;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;

namespace Ripcord.Simulation;

internal sealed partial class Invariants
{
    /// <summary>Checks every case after a step.</summary>
    public void AfterStep()
    {
        foreach (var simCase in world.Cases)
        {
            var state = simCase.Case.State;
            foreach (var run in state.Nodes.Values)
            {
                // One winner: the case's record of a started task's end is the task grain's own.
                if (run.StartedAt is not null && TaskLifecycle.IsTerminal(run.Status) && simCase.Tasks.TryGetValue(run.NodeId, out var task)
                    && task.State.Exists && task.State.Status != run.Status)
                {
                    Fail(Lifecycle, $"case {state.CaseId} records {run.NodeId} {run.Status}, its task grain says {task.State.Status}");
                }
            }

            if (simCase.AcceptedCancels.Count > 0 && state.Status == CaseStatus.Running
                && !(state.CancelRequest?.OverriddenAt >= simCase.AcceptedCancels[^1]))
            {
                Fail(NeverLost, $"case {state.CaseId} is running again after the Cancel Case accepted at {simCase.AcceptedCancels[^1]:O} without an override");
            }

            CheckMeasures(simCase, state);
        }
    }

    private static void CheckMeasures(SimCase simCase, CaseState state)
    {
        var m = state.Measures;
        if (m.TokensSaved < 0 || m.GpuSecondsSaved < 0 || m.TimeToFullTerminationSeconds < 0
            || m.Tasks.Any(t => t.TokensSaved < 0 || t.GpuSecondsSaved < 0 || t.SignalLatencySeconds < 0 || t.AckLatencySeconds < 0))
        {
            Fail(Measures, $"case {state.CaseId} has a negative measure: {m}");
        }

        if (m.Tasks.Select(t => t.TaskId).Distinct(StringComparer.Ordinal).Count() != m.Tasks.Length)
        {
            Fail(Measures, $"case {state.CaseId} counts a task's cancel twice: {string.Join(", ", m.Tasks.Select(t => t.TaskId))}");
        }

        if (m.FalseCancellations > simCase.Holds || m.FalseCancellations > m.CaseCancels)
        {
            Fail(Measures, $"case {state.CaseId} counts {m.FalseCancellations} false cancellations for {simCase.Holds} holds and {m.CaseCancels} cancels");
        }

        if (m.ResourcesReleased + m.ResourcesOrphaned > simCase.Registry.State.Resources.Count)
        {
            Fail(Measures, $"case {state.CaseId} counts {m.ResourcesReleased} released and {m.ResourcesOrphaned} orphaned of {simCase.Registry.State.Resources.Count} resources");
        }
    }

    /// <summary>Once every message is delivered and every deadline has fired, with the agents silent.</summary>
    public void AfterSettling()
    {
        AfterStep();
        foreach (var simCase in world.Cases)
        {
            var state = simCase.Case.State;
            if (state.CancelRequest is { ExecutedAt: not null } && state.Status != CaseStatus.Cancelled)
            {
                Fail(NeverLost, $"case {state.CaseId} carried out its Cancel Case yet is {state.Status}");
            }

            if (state.Status == CaseStatus.CancelPending)
            {
                Fail(NeverLost, $"case {state.CaseId} is still held after its hold ended");
            }

            foreach (var id in simCase.AcceptedTaskCancels)
            {
                if (!TaskLifecycle.IsTerminal(state.Nodes[id].Status))
                {
                    Fail(NeverLost, $"task {state.CaseId}/{id} was accepted for cancel and is {state.Nodes[id].Status}");
                }
            }

            if (CaseLifecycle.IsTerminal(state.Status))
            {
                CheckSettled(simCase, state);
            }
        }
    }

    private static void CheckSettled(SimCase simCase, CaseState state)
    {
        CheckEnded(simCase, state);
        var registry = simCase.Registry.State;
        if (!(registry.Closed || state.SettledWithoutRegistry) || state.ResourcesSettledAt is null)
        {
            Fail(ReleaseOnce, $"case {state.CaseId} ended {state.Status} but its registry was never closed and settled");
        }

        if (state.SettledWithoutRegistry && state.Nodes.Values.Any(n => n.Resources > 0))
        {
            Fail(ReleaseOnce, $"case {state.CaseId} settled without its registry although its tasks handed over resources");
        }

        foreach (var id in simCase.Registered)
        {
            if (!registry.Resources.ContainsKey(id))
            {
                Fail(ReleaseOnce, $"resource {state.CaseId}/{id} was registered but the registry never heard of it");
            }
        }

        var released = registry.Resources.Values.Count(r => r.Status == ResourceStatus.Released);
        var orphaned = registry.Resources.Values.Count(r => r.Status == ResourceStatus.Orphaned);
        if (state.Measures.ResourcesReleased != released || state.Measures.ResourcesOrphaned != orphaned)
        {
            Fail(Measures, $"case {state.CaseId} counts {state.Measures.ResourcesReleased} released and {state.Measures.ResourcesOrphaned} orphaned; its registry has {released} and {orphaned}");
        }
    }
}
