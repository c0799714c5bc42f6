namespace Ripcord.Runtime.Tests.Postgres;

/// <summary>A grain whose every effect is countable: each message bumps the state once.</summary>
public sealed class CounterGrain : Grain<CounterState>
{
    public const string Type = "counter";

    public static GrainId Id(string caseId, string name) => GrainId.InCase(Type, caseId, name);

    public override CounterState CreateState(GrainId id) => new(0, 0);

    public override CounterState Handle(CounterState state, Envelope message, ITurnContext context)
    {
        switch (message.Body)
        {
            case Increment increment:
                return state with { Count = state.Count + 1, Sum = state.Sum + increment.By };
            case GetCount:
                context.Reply(state.Count);
                return state;
            case Relay relay:
                if (relay.Hops > 0)
                {
                    context.Send(Id(context.Self.CaseId, relay.Next), relay with { Hops = relay.Hops - 1, Next = context.Self.Key[(context.Self.CaseId.Length + 1)..] });
                }
                else
                {
                    context.Reply(state.Count + 1);
                }

                return state with { Count = state.Count + 1 };
            case Arm arm:
                context.SetReminder(arm.Name, arm.DueAt, new Rang(arm.Name));
                return state;
            case Disarm disarm:
                context.ClearReminder(disarm.Name);
                return state;
            case Rang:
                return state with { Count = state.Count + 1 };
            default:
                throw new InvalidOperationException($"Unexpected {message.Body.GetType().Name}");
        }
    }
}

public sealed record CounterState(long Count, long Sum);

public sealed record Increment(int By);

public sealed record GetCount;

/// <summary>Passes itself on to <see cref="Next"/> (a grain name in the same case) until no hops are left, then replies.</summary>
public sealed record Relay(string Next, int Hops);

public sealed record Arm(string Name, DateTimeOffset DueAt);

public sealed record Disarm(string Name);

public sealed record Rang(string Name);
