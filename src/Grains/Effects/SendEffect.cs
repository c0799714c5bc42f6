namespace Ripcord.Grains;

/// <summary>A one-way message to another grain of the same case, by its key (<see cref="Storage.GrainKeys"/>).</summary>
public sealed record SendEffect(string Target, object Message) : Effect;
