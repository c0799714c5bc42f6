using Ripcord.Runtime;

namespace Ripcord.Grains.Resources;

/// <summary>The resource registry grain (type <c>registry</c>, key: the case id). Decides through <see cref="RegistryMachine"/>.</summary>
public sealed class ResourceRegistryGrain : Grain<RegistryState>
{
    public override RegistryState CreateState(GrainId id) => RegistryState.Empty(id.CaseId);

    public override RegistryState Handle(RegistryState state, Envelope message, ITurnContext context)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        return EffectApplier.Apply(RegistryMachine.Handle(state, message.Body, context.Now), context);
    }
}
