namespace Ripcord.Grains;

/// <summary>What a transition function returns: the new state and the effects to carry out with its commit.</summary>
public sealed record Decision<TState>(TState State, IReadOnlyList<Effect> Effects)
    where TState : class
{
    public IEnumerable<T> Of<T>()
        where T : Effect => Effects.OfType<T>();
}
