using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace Ripcord.Silo.Tests.Api;

/// <summary>Reads a server-sent events response in the background; tests await the events they expect.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly Channel<(string Event, string Data, string? Id)> _events = Channel.CreateUnbounded<(string, string, string?)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SseStream(HttpClient http, string path, string key)
    {
        _reader = Task.Run(() => ReadAsync(http, path, key));
    }

    /// <summary>Opens the stream; throws what the request threw, or its status when it did not answer with a stream.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient http, string path, string key)
    {
        var stream = new SseStream(http, path, key);
        try
        {
            await stream._open.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        return stream;
    }

    /// <summary>
    /// The next event of type <paramref name="eventType"/> (earlier events of other types are skipped). Throws
    /// <see cref="OperationCanceledException"/> when none comes within the timeout, and
    /// <see cref="ChannelClosedException"/> once the stream has ended and every event it brought was read.
    /// </summary>
    public async Task<(string Event, string Data, string? Id)> NextAsync(string eventType, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var e = await _events.Reader.ReadAsync(limit.Token);
            if (e.Event == eventType)
            {
                return e;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();

        // A failure of the stream was reported to its reader already (OpenAsync or NextAsync).
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpClient http, string path, string key)
    {
        try
        {
            await ReadEventsAsync(http, path, key);
            _open.TrySetException(new InvalidOperationException($"The stream {path} ended before it opened."));
            _events.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _open.TrySetException(e);
            _events.Writer.TryComplete(e is OperationCanceledException ? null : e);
            throw;
        }
    }

    private async Task ReadEventsAsync(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(_stop.Token)}", null, response.StatusCode);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
        string type = "message";
        string? id = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith("retry:", StringComparison.Ordinal))
            {
                _open.TrySetResult();
            }
            else if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    _events.Writer.TryWrite((type, data.ToString(), id));
                }

                type = "message";
                data.Clear();
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(data.Length > 0 ? "\n" : "").Append(line[6..]);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
        }
    }
}
