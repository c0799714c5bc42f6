using Ripcord.Runtime;

namespace Ripcord.Grains;

/// <summary>A one-way message to another grain of the same case.</summary>
public sealed record SendEffect(GrainId Target, object Message) : Effect;
