namespace Ripcord.Runtime;

/// <summary>Settings of the grain runtime. Bound from <c>Ripcord:Runtime</c>; every default is given here.</summary>
public sealed class RuntimeOptions
{
    /// <summary>Turns that may run at once across all grains. Default: the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Messages one turn may handle before it commits. Default 64.</summary>
    public int MaxMessagesPerTurn { get; set; } = 64;

    /// <summary>Tries of a message whose handler throws before it is dead-lettered. Default 5.</summary>
    public int MaxHandlerAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry of a failed message; doubles each try up to <see cref="RetryBackoffMax"/>. Default 100 ms.</summary>
    public TimeSpan RetryBackoffBase { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound of the retry delay. Default 10 s.</summary>
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an ask waits for its reply before answering "accepted, not yet answered". Default 10 s.</summary>
    public TimeSpan DefaultAskTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An activation unused this long is dropped from memory (its lease handed back). Default 10 min.</summary>
    public TimeSpan ActivationIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often idle activations are looked for. Default 1 min.</summary>
    public TimeSpan IdleSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>With a shared store: how often to look for mailboxes and reminders nobody told this silo about. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>This silo's identity in the cluster. Default: host name, process id and a random suffix.</summary>
    public string SiloId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    internal void Validate()
    {
        if (MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "must be at least 1");
        }

        if (MaxMessagesPerTurn < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessagesPerTurn), MaxMessagesPerTurn, "must be at least 1");
        }

        if (MaxHandlerAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxHandlerAttempts), MaxHandlerAttempts, "must be at least 1");
        }

        if (RetryBackoffBase < TimeSpan.Zero || RetryBackoffMax < RetryBackoffBase)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBackoffBase), RetryBackoffBase, "must be >= 0 and <= RetryBackoffMax");
        }
    }
}
