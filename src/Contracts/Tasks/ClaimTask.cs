namespace Ripcord.Contracts.Tasks;

/// <summary>An agent takes a ready task (ask the task grain; replies <see cref="ClaimResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.claim-task")]
public sealed record ClaimTask
{
    [Id(0)]
    public required string AgentId { get; init; }

    /// <summary>The agent's kill hook: called (POST) when it does not answer a cancel or is force-cancelled.</summary>
    [Id(1)]
    public string? KillHookUrl { get; init; }
}
