namespace Ripcord.Grains.Durability;

/// <summary>Tuning of the durability protocol (section <c>Ripcord:Durability</c>).</summary>
public sealed class DurabilityOptions
{
    /// <summary>
    /// Period of the recovery reminder a grain keeps while it has undelivered outbox entries or pending deadlines:
    /// after its silo dies, the grain comes back on another within about this long. Default 10 s; Orleans' minimum
    /// reminder period is lowered to it when it is shorter.
    /// </summary>
    public TimeSpan RecoveryPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay of an outbox entry that could not be delivered; doubles up to <see cref="MaxRetryDelay"/>. Default 200 ms.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay. Default 30 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a write that can wait waits for a turn to carry it: after its outbox was delivered, a grain that had
    /// no other turn writes its state once more to drop the delivered entries (and its recovery reminder when nothing
    /// is pending); a notice (a cancel signal's delivery) waits this long for the grain's next turn before it is
    /// written alone. Default 1 s.
    /// </summary>
    public TimeSpan CompactionDelay { get; set; } = TimeSpan.FromSeconds(1);
}
