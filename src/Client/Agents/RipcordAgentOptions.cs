namespace Ripcord.Client.Agents;

/// <summary>Settings of one hosted agent type (<c>services.AddRipcordAgent&lt;TAgent&gt;(type, o =&gt; ...)</c>).</summary>
public sealed class RipcordAgentOptions
{
    /// <summary>This worker's agent id (cancel signals are addressed to it). Default: <c>{machine}-{agent type}-{random}</c>, unique per process.</summary>
    public string? AgentId { get; set; }

    /// <summary>How many tasks of this type run at once. Default 1.</summary>
    public int MaxConcurrentTasks { get; set; } = 1;

    /// <summary>How long one poll may wait on the server for a task. Default 20 seconds.</summary>
    public double PollWaitSeconds { get; set; } = 20;

    /// <summary>The heartbeat interval when the server gives none. Default 10 seconds.</summary>
    public TimeSpan DefaultHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait after a failed poll; doubles on each failure in a row, up to 30 seconds. Default 1 second.</summary>
    public TimeSpan PollErrorDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait before reconnecting the signal stream after it drops. Default 1 second.</summary>
    public TimeSpan SignalReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A URL the engine may call to kill this agent when it ignores a cancel (last escalation step); sent with every
    /// poll. Servers without kill hooks ignore it. Default none.
    /// </summary>
    public Uri? KillHookUrl { get; set; }

    /// <summary>The server to use instead of the one <c>AddRipcordClient</c> configured. Default: that one.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key (role <c>agent</c>) to use instead of the one <c>AddRipcordClient</c> configured. Default: that one.</summary>
    public string? ApiKey { get; set; }
}
