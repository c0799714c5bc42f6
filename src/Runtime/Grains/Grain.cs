namespace Ripcord.Runtime;

/// <summary>A typed <see cref="IGrain"/>: the usual base class for grain behaviours.</summary>
public abstract class Grain<TState> : IGrain
    where TState : class
{
    public abstract TState CreateState(GrainId id);

    public abstract TState Handle(TState state, Envelope message, ITurnContext context);

    object IGrain.CreateState(GrainId id) => CreateState(id);

    object IGrain.Handle(object state, Envelope message, ITurnContext context) => Handle((TState)state, message, context);
}
