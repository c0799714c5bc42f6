namespace Ripcord.Contracts.Tasks;

/// <summary>Outbox handler to task grain: the outcome of calling the agent's kill hook.</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.kill-hook-called")]
public sealed record KillHookCalled([property: Id(0)] bool Success, [property: Id(1)] int? StatusCode, [property: Id(2)] string? Error);
