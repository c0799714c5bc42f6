namespace Ripcord.Grains;

/// <summary>Outbox handler to task grain: the outcome of calling the agent's kill hook.</summary>
public sealed record KillHookCalled(bool Success, int? StatusCode, string? Error);
