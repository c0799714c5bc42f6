namespace Ripcord.Client.Agents;

/// <summary>Options of <see cref="RipcordClient.PollAsync"/>.</summary>
public sealed class PollOptions
{
    /// <summary>The agent types this agent runs. Required, at least one.</summary>
    public IReadOnlyList<string> Agents { get; set; } = [];

    /// <summary>How long the server may hold the call open waiting for a task. Default 20 seconds.</summary>
    public double WaitSeconds { get; set; } = 20;

    /// <summary>
    /// A URL the engine may call to kill this agent when it ignores a cancel (the last escalation step). Sent as
    /// <c>killHookUrl</c>; servers that do not support kill hooks ignore it. Default none.
    /// </summary>
    public Uri? KillHookUrl { get; set; }
}
