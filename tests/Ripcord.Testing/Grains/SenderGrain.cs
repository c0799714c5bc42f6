using Ripcord.Runtime;

namespace Ripcord.Testing.Grains;

/// <summary>Sends a burst of numbered messages to a <see cref="SequenceGrain"/> in one turn.</summary>
public sealed class SenderGrain : Grain<CounterState>
{
    public const string Type = "sender";

    public static GrainId Id(string caseId, string name) => GrainId.InCase(Type, caseId, name);

    public override CounterState CreateState(GrainId id) => new(0);

    public override CounterState Handle(CounterState state, Envelope message, ITurnContext context)
    {
        if (message.Body is not Burst burst)
        {
            throw new NotSupportedException(message.Body.GetType().Name);
        }

        var target = SequenceGrain.Id(context.Self.CaseId, burst.TargetName);
        for (var i = 0; i < burst.Count; i++)
        {
            context.Send(target, new Seq(context.Self.Key, (int)state.Value + i));
        }

        return state with { Value = state.Value + burst.Count };
    }
}
