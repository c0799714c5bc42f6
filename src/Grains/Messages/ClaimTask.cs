namespace Ripcord.Grains;

/// <summary>An agent takes a ready task (ask the task grain; replies <see cref="ClaimResult"/>).</summary>
public sealed record ClaimTask
{
    public required string AgentId { get; init; }

    /// <summary>The agent's kill hook: called (POST) when it does not answer a cancel or is force-cancelled.</summary>
    public string? KillHookUrl { get; init; }
}
