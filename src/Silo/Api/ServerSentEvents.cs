using System.Text;
using System.Threading.Channels;

namespace Ripcord.Silo.Api;

/// <summary>Writes a <c>text/event-stream</c> response: headers once, then events, flushed as soon as they are written.</summary>
public sealed class ServerSentEvents
{
    private static readonly TimeSpan KeepAliveAfter = TimeSpan.FromSeconds(15);
    private readonly HttpResponse _response;

    private ServerSentEvents(HttpResponse response)
    {
        _response = response;
    }

    public static async Task<ServerSentEvents> StartAsync(HttpContext context, TimeSpan retry)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var stream = new ServerSentEvents(response);
        await response.WriteAsync($"retry: {(int)retry.TotalMilliseconds}\n\n", context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        return stream;
    }

    /// <summary>Writes one event; <paramref name="data"/> may span lines (each becomes a <c>data:</c> line).</summary>
    public async Task WriteAsync(string eventType, string data, string? id, CancellationToken cancellationToken)
    {
        var text = new StringBuilder(data.Length + 64);
        Append(text, eventType, data, id);
        await _response.WriteAsync(text.ToString(), cancellationToken);
        await _response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Writes every item of <paramref name="items"/> as an event until the reader completes or the client leaves,
    /// with a keep-alive comment whenever the stream has been idle for 15 s. Items that are ready together go out
    /// in one write and one flush; <paramref name="written"/> is told of each once it is flushed, and must not block.
    /// </summary>
    public async Task PumpAsync<T>(ChannelReader<T> items, Func<T, (string Event, string Data)> format, CancellationToken cancellationToken, Action<T>? written = null)
    {
        var text = new StringBuilder(256);
        var flushed = written is null ? null : new List<T>();
        var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                if (!idle.TryReset())
                {
                    idle.Dispose();
                    idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }

                idle.CancelAfter(KeepAliveAfter);
                bool more;
                try
                {
                    more = await items.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await KeepAliveAsync(cancellationToken);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                text.Clear();
                while (items.TryRead(out var item))
                {
                    var (eventType, data) = format(item);
                    Append(text, eventType, data, null);
                    flushed?.Add(item);
                }

                await _response.WriteAsync(text.ToString(), cancellationToken);
                await _response.Body.FlushAsync(cancellationToken);
                if (flushed is not null)
                {
                    foreach (var item in flushed)
                    {
                        written!(item);
                    }

                    flushed.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            idle.Dispose();
        }
    }

    /// <summary>A comment line that keeps idle connections (and proxies) open.</summary>
    public async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        await _response.WriteAsync(": keep-alive\n\n", cancellationToken);
        await _response.Body.FlushAsync(cancellationToken);
    }

    private static void Append(StringBuilder text, string eventType, string data, string? id)
    {
        if (id is not null)
        {
            text.Append("id: ").Append(id).Append('\n');
        }

        text.Append("event: ").Append(eventType).Append('\n');
        foreach (var line in data.AsSpan().EnumerateLines())
        {
            text.Append("data: ").Append(line).Append('\n');
        }

        text.Append('\n');
    }
}
