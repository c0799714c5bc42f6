namespace Ripcord.Grains;

/// <summary>
/// Something a transition function decided should happen besides the new state. Plain data: the grain class maps
/// each effect onto the runtime's turn context, and unit tests read them directly.
/// </summary>
public abstract record Effect;
