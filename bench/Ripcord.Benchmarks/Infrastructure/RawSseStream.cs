using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>One server-sent event as read, stamped (<see cref="Stopwatch.GetTimestamp"/>) when its blank line was read.</summary>
internal sealed record RawEvent(string Type, string Data, string? Id, long ReadAt);

/// <summary>
/// A minimal <c>text/event-stream</c> reader: one GET, lines read as they come, an event dispatched at its blank
/// line. No reconnects, no SDK: what the wire delivers and when.
/// </summary>
internal sealed class RawSseStream : IAsyncDisposable
{
    private readonly Channel<RawEvent> _events = Channel.CreateUnbounded<RawEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reading = Task.CompletedTask;

    private RawSseStream()
    {
    }

    public ChannelReader<RawEvent> Events => _events.Reader;

    /// <summary>Opens the stream and returns once the server wrote its first line (so the server side is subscribed).</summary>
    public static async Task<RawSseStream> OpenAsync(HttpClient client, string path)
    {
        var stream = new RawSseStream();
        stream._reading = stream.ReadAsync(client, path);
        await stream._opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return stream;
    }

    /// <summary>The next event of <paramref name="type"/> that <paramref name="match"/> accepts (others are skipped).</summary>
    public async Task<RawEvent> NextAsync(string type, Func<RawEvent, bool> match, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (true)
        {
            var e = await _events.Reader.ReadAsync(limit.Token);
            if (e.Type == type && match(e))
            {
                return e;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            // Closed by us.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(HttpClient client, string path)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            await BenchSilo.EnsureSuccessAsync(response);
            await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? type = null;
            string? id = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                _opened.TrySetResult();
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        _events.Writer.TryWrite(new RawEvent(type ?? "message", data.ToString(), id, Stopwatch.GetTimestamp()));
                    }

                    type = null;
                    id = null;
                    data.Clear();
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(data.Length > 0 ? "\n" : "").Append(line.AsSpan(6));
                }
            }
        }
        catch (Exception e)
        {
            _opened.TrySetException(e);
            _events.Writer.TryComplete(e);
            throw;
        }

        _events.Writer.TryComplete();
    }
}
