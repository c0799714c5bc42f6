using System.Runtime.CompilerServices;
using System.Text;

namespace Ripcord.Client.Sse;

/// <summary>
/// Parses a <c>text/event-stream</c> body as the WHATWG HTML standard describes it. Keeps the last event id and
/// the server's <c>retry:</c> hint across events so a caller can reconnect where the stream left off.
/// </summary>
internal sealed class SseParser
{
    public SseParser(string? lastEventId = null)
    {
        LastEventId = lastEventId;
    }

    /// <summary>The id to send as <c>Last-Event-ID</c> when reconnecting.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>The reconnection delay the server asked for, if it did.</summary>
    public TimeSpan? Retry { get; private set; }

    public async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        var data = new StringBuilder();
        string? eventType = null;
        var hasData = false;

        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                // An event not terminated by a blank line is incomplete: the standard says to drop it.
                yield break;
            }

            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new SseEvent(eventType ?? "message", data.ToString(), LastEventId);
                }

                data.Clear();
                eventType = null;
                hasData = false;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.Length > 0 && value[0] == ' ')
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    eventType = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
                case "id":
                    if (!value.Contains('\0', StringComparison.Ordinal))
                    {
                        LastEventId = value;
                    }

                    break;
                case "retry":
                    if (value.Length > 0 && value.All(char.IsAsciiDigit) && int.TryParse(value, out var milliseconds))
                    {
                        Retry = TimeSpan.FromMilliseconds(milliseconds);
                    }

                    break;
                default:
                    break;
            }
        }
    }
}
