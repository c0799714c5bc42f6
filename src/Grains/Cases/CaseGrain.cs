using Ripcord.Runtime;

namespace Ripcord.Grains.Cases;

/// <summary>The case grain (type <c>case</c>, key: the case id). Decides through <see cref="CaseMachine"/>.</summary>
public sealed class CaseGrain : Grain<CaseState>
{
    public override CaseState CreateState(GrainId id) => CaseState.Empty(id.CaseId);

    public override CaseState Handle(CaseState state, Envelope message, ITurnContext context)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        return EffectApplier.Apply(CaseMachine.Handle(state, message.Body, context.Now), context);
    }
}
