using Ripcord.Runtime;

namespace Ripcord.Testing.Grains;

/// <summary>Records the order in which it received <see cref="Seq"/> messages.</summary>
public sealed class SequenceGrain : Grain<SequenceState>
{
    public const string Type = "sequence";

    public static GrainId Id(string caseId, string name) => GrainId.InCase(Type, caseId, name);

    public override SequenceState CreateState(GrainId id) => new([]);

    public override SequenceState Handle(SequenceState state, Envelope message, ITurnContext context) => message.Body switch
    {
        Seq seq => new SequenceState([.. state.Received, $"{seq.Sender}:{seq.N}"]),
        _ => throw new NotSupportedException(message.Body.GetType().Name),
    };
}
