namespace Ripcord.Runtime;

/// <summary>A grain type name bound to its behaviour class.</summary>
public sealed record GrainRegistration(string Type, Type GrainType);
