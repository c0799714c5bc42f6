namespace Ripcord.Client.Agents;

/// <summary>Marks, keyed by agent type, an agent type already registered with <c>AddRipcordAgent</c>.</summary>
internal sealed class RipcordAgentMarker;
