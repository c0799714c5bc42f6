namespace Ripcord.Grains;

/// <summary>An agent reports that its attempt failed (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
public sealed record FailTask
{
    public required string LeaseToken { get; init; }

    public string? Error { get; init; }
}
