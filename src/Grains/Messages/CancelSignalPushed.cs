namespace Ripcord.Grains;

/// <summary>The silo wrote the task's cancel signal to the signal stream of agent <see cref="AgentId"/> (one-way).</summary>
public sealed record CancelSignalPushed(string AgentId);
