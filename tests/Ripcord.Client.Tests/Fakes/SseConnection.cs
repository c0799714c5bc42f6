using Microsoft.AspNetCore.Http;

namespace Ripcord.Client.Tests.Fakes;

/// <summary>One open server-sent-events response of the fake server; the test writes to it and may drop it.</summary>
public sealed class SseConnection
{
    private readonly HttpContext _context;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SseConnection(HttpContext context, RecordedRequest request)
    {
        _context = context;
        Request = request;
    }

    public RecordedRequest Request { get; }

    internal Task Closed => _closed.Task;

    /// <summary>Writes raw event-stream text exactly as given and flushes it.</summary>
    public async Task SendRawAsync(string text)
    {
        await _context.Response.WriteAsync(text, _context.RequestAborted);
        await _context.Response.Body.FlushAsync(_context.RequestAborted);
    }

    /// <summary>Writes one event with a single data line.</summary>
    public Task SendAsync(string data, string? eventType = null, string? id = null)
    {
        var text = (eventType is null ? string.Empty : $"event: {eventType}\n")
            + (id is null ? string.Empty : $"id: {id}\n")
            + $"data: {data}\n\n";
        return SendRawAsync(text);
    }

    /// <summary>Ends the response, as a server that drops the stream would.</summary>
    public void Close() => _closed.TrySetResult();
}
