using Ripcord.Grains.Cases;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;

namespace Ripcord.Simulation;

/// <summary>Guarantee 10: once its case is redacted (purged, or its retention period passed), no turn leaves a payload behind.</summary>
internal sealed partial class Invariants
{
    private static void KeepsNoPayload(CaseState state)
    {
        if (state.RedactedAt is not null && (state.Input is not null || state.Output is not null
            || state.Nodes.Values.Any(n => n.Input is not null || n.Output is not null || n.Checkpoint is not null)))
        {
            Fail(Redacted, $"case {state.CaseId} redacted at {state.RedactedAt:O} still holds a payload");
        }
    }

    private static void KeepsNoPayload(TaskState state)
    {
        if (state.RedactedAt is not null && (state.Input is not null || state.Output is not null || state.Checkpoint is not null
            || state.Progress is not null || state.Cancel?.Checkpoint is not null))
        {
            Fail(Redacted, $"task {state.CaseId}/{state.TaskId} redacted at {state.RedactedAt:O} still holds a payload");
        }
    }

    private static void KeepsNoPayload(RegistryState state)
    {
        // A resource still releasing keeps its release action until it settles.
        if (state.RedactedAt is not null && state.Resources.Values.Any(r => ResourceLifecycle.IsTerminal(r.Status) && (r.Kind is not null || r.Release is not null || r.LastError is not null || r.Reason is not null)))
        {
            Fail(Redacted, $"the registry of case {state.CaseId} redacted at {state.RedactedAt:O} still holds a settled resource's details");
        }
    }
}
