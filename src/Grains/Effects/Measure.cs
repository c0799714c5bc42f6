namespace Ripcord.Grains;

/// <summary>The cancellation instruments a transition can feed (see <see cref="Diagnostics.CancellationInstruments"/>).</summary>
public enum Measure
{
    CancelRequested,
    SignalLatency,
    AckLatency,
    TimeToFullTermination,
    TokensSaved,
    GpuSecondsSaved,
    ResourceReleased,
    ResourceOrphaned,
    FalseCancellation,
    Escalation,
    UnresponsiveAgent,
    TaskFenced,
    LateWriteRejected,
    CancelRefused,
}
