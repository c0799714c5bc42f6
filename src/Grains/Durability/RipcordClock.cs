namespace Ripcord.Grains.Durability;

/// <summary>
/// The domain's time: turns read it and deadline timers run on it. Kept apart from the <see cref="TimeProvider"/>
/// Orleans uses, so tests can drive a case's deadlines with a fake clock without stopping the cluster's own clocks.
/// </summary>
public sealed class RipcordClock(TimeProvider time)
{
    public static readonly RipcordClock System = new(TimeProvider.System);

    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();
}
