using System.Diagnostics;
using Ripcord.Runtime;

namespace Ripcord.Benchmarks.Runtime;

internal sealed record Tick;

internal sealed record Hop(long StartedAt, string TargetName);

internal sealed record Landed(long StartedAt);

internal sealed record Count(long Value);

/// <summary>Counts ticks; the cheapest possible handler, so the runtime's own cost is what is measured.</summary>
internal sealed class TickGrain : Grain<Count>
{
    public override Count CreateState(GrainId id) => new(0);

    public override Count Handle(Count state, Envelope message, ITurnContext context) => new(state.Value + 1);
}

/// <summary>On <see cref="Hop"/>, stamps nothing and forwards; on <see cref="Landed"/>, records the hop's latency.</summary>
internal sealed class HopGrain(LatencyRecorder recorder) : Grain<Count>
{
    public override Count CreateState(GrainId id) => new(0);

    public override Count Handle(Count state, Envelope message, ITurnContext context)
    {
        switch (message.Body)
        {
            case Hop hop:
                context.Send(GrainId.InCase("hop", context.Self.CaseId, hop.TargetName), new Landed(Stopwatch.GetTimestamp()));
                break;
            case Landed landed:
                recorder.Record(Stopwatch.GetElapsedTime(landed.StartedAt));
                break;
        }

        return state;
    }
}
