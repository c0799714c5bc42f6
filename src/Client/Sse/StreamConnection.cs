namespace Ripcord.Client.Sse;

/// <summary>How one connection of a reconnecting event stream went: whether it opened, and what dropped it.</summary>
internal sealed class StreamConnection
{
    public bool Opened { get; set; }

    public Exception? Drop { get; set; }
}
