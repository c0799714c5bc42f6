using System.Diagnostics.Metrics;

namespace Ripcord.Grains.Diagnostics;

/// <summary>
/// The seed metrics as instruments of the one <c>Ripcord</c> meter. Values are recorded while the turn runs; a turn
/// whose commit fails and is retried may record twice, so treat them as telemetry, not as the ledger (the case
/// state's measures are the ledger).
/// </summary>
public static class CancellationInstruments
{
    public static readonly Counter<long> CancelsRequested = RipcordInstruments.Meter.CreateCounter<long>("ripcord.cancel.requested", description: "Cancel Case and Cancel Activity requests carried out.");

    public static readonly Histogram<double> SignalLatency = RipcordInstruments.Meter.CreateHistogram<double>("ripcord.cancel.signal_latency", "s", "Cancel request to the task's signal being committed.");

    public static readonly Histogram<double> AckLatency = RipcordInstruments.Meter.CreateHistogram<double>("ripcord.cancel.ack_latency", "s", "Cancel request to the agent's acknowledgement.");

    public static readonly Histogram<double> TimeToFullTermination = RipcordInstruments.Meter.CreateHistogram<double>("ripcord.cancel.time_to_full_termination", "s", "Cancel Case executed to every task terminal and every resource settled.");

    public static readonly Counter<long> TokensSaved = RipcordInstruments.Meter.CreateCounter<long>("ripcord.cancel.tokens_saved", description: "Estimated LLM tokens not spent thanks to cancellations.");

    public static readonly Counter<double> GpuSecondsSaved = RipcordInstruments.Meter.CreateCounter<double>("ripcord.cancel.gpu_seconds_saved", "s", "Estimated GPU seconds not spent thanks to cancellations.");

    public static readonly Counter<long> ResourcesReleased = RipcordInstruments.Meter.CreateCounter<long>("ripcord.resources.released", description: "Resources released by their agent or the registry.");

    public static readonly Counter<long> ResourcesOrphaned = RipcordInstruments.Meter.CreateCounter<long>("ripcord.resources.orphaned", description: "Resources the registry could not release.");

    public static readonly Counter<long> FalseCancellations = RipcordInstruments.Meter.CreateCounter<long>("ripcord.cancel.false_cancellations", description: "Cancels withdrawn during their confirmation hold.");

    public static readonly Counter<long> Escalations = RipcordInstruments.Meter.CreateCounter<long>("ripcord.cancel.escalations", description: "Escalation steps taken against unresponsive agents.");

    public static readonly Counter<long> UnresponsiveAgents = RipcordInstruments.Meter.CreateCounter<long>("ripcord.cancel.unresponsive_agents", description: "Alerts raised for agents that never acknowledged a cancel.");

    public static readonly Counter<long> TasksFenced = RipcordInstruments.Meter.CreateCounter<long>("ripcord.cancel.tasks_fenced", description: "Tasks whose lease was revoked.");

    public static readonly Counter<long> LateWritesRejected = RipcordInstruments.Meter.CreateCounter<long>("ripcord.cancel.late_writes_rejected", description: "Heartbeats, outputs and resource calls rejected after a cancel or fence.");

    public static readonly Counter<long> CancelsRefused = RipcordInstruments.Meter.CreateCounter<long>("ripcord.cancel.refused", description: "Cancel, confirm and override requests refused for lack of rights on the case (each an alert for its administrators).");

    public static void Record(Measure measure, double value)
    {
        switch (measure)
        {
            case Measure.CancelRequested:
                CancelsRequested.Add((long)value);
                break;
            case Measure.SignalLatency:
                SignalLatency.Record(value);
                break;
            case Measure.AckLatency:
                AckLatency.Record(value);
                break;
            case Measure.TimeToFullTermination:
                TimeToFullTermination.Record(value);
                break;
            case Measure.TokensSaved:
                TokensSaved.Add((long)value);
                break;
            case Measure.GpuSecondsSaved:
                GpuSecondsSaved.Add(value);
                break;
            case Measure.ResourceReleased:
                ResourcesReleased.Add((long)value);
                break;
            case Measure.ResourceOrphaned:
                ResourcesOrphaned.Add((long)value);
                break;
            case Measure.FalseCancellation:
                FalseCancellations.Add((long)value);
                break;
            case Measure.Escalation:
                Escalations.Add((long)value);
                break;
            case Measure.UnresponsiveAgent:
                UnresponsiveAgents.Add((long)value);
                break;
            case Measure.TaskFenced:
                TasksFenced.Add((long)value);
                break;
            case Measure.LateWriteRejected:
                LateWritesRejected.Add((long)value);
                break;
            case Measure.CancelRefused:
                CancelsRefused.Add((long)value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(measure), measure, null);
        }
    }
}
