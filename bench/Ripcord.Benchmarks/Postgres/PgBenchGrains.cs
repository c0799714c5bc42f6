using System.Diagnostics;
using Ripcord.Runtime;

namespace Ripcord.Benchmarks.Postgres;

public sealed record PgTick;

public sealed record PgHop(string TargetName);

public sealed record PgLanded(long StartedAt);

/// <summary>The hop's start, kept in the receiving grain's state so the latency is read after its commit.</summary>
public sealed record PgHopState(long Count, long LandedStartedAt);

/// <summary>Counts ticks; on <see cref="PgHop"/> stamps the time and sends <see cref="PgLanded"/> to its sibling.</summary>
internal sealed class PgBenchGrain : Grain<PgHopState>
{
    public const string Type = "pgbench";

    public override PgHopState CreateState(GrainId id) => new(0, 0);

    public override PgHopState Handle(PgHopState state, Envelope message, ITurnContext context)
    {
        switch (message.Body)
        {
            case PgHop hop:
                context.Send(GrainId.InCase(Type, context.Self.CaseId, hop.TargetName), new PgLanded(Stopwatch.GetTimestamp()));
                return state with { Count = state.Count + 1 };
            case PgLanded landed:
                return state with { Count = state.Count + 1, LandedStartedAt = landed.StartedAt };
            default:
                return state with { Count = state.Count + 1 };
        }
    }
}
