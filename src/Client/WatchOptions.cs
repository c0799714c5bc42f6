namespace Ripcord.Client;

/// <summary>Options of <see cref="CaseHandle.WatchAsync"/>.</summary>
public sealed class WatchOptions
{
    /// <summary>Resume after this server-sent-events id instead of from the start of the history. Default none.</summary>
    public string? LastEventId { get; set; }

    /// <summary>
    /// When the server closes the stream, ask for the case's status and end the enumeration if the case is closed
    /// (<c>completed</c>, <c>failed</c> or <c>cancelled</c>); otherwise reconnect. Default <see langword="true"/>.
    /// </summary>
    public bool StopWhenClosed { get; set; } = true;

    /// <summary>The wait before reconnecting after a drop, unless the server asked for another with <c>retry:</c>. Default 1 second.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many reconnects in a row may fail before the error is thrown to the caller. Default 10.</summary>
    public int MaxReconnectAttempts { get; set; } = 10;
}
