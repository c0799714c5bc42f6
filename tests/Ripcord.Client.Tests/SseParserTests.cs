using System.Text;
using Ripcord.Client.Sse;

namespace Ripcord.Client.Tests;

public sealed class SseParserTests
{
    private static async Task<(List<SseEvent> Events, SseParser Parser)> ParseAsync(string text, string? lastEventId = null)
    {
        var parser = new SseParser(lastEventId);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        List<SseEvent> events = [];
        await foreach (var sseEvent in parser.ReadAsync(stream, CancellationToken.None))
        {
            events.Add(sseEvent);
        }

        return (events, parser);
    }

    [Fact]
    public async Task Read_MultiLineData_JoinedWithLineFeeds()
    {
        var (events, _) = await ParseAsync("data: {\"a\":\ndata: 1}\n\n");

        Assert.Equal("{\"a\":\n1}", Assert.Single(events).Data);
    }

    [Fact]
    public async Task Read_EventIdAndType_Applied()
    {
        var (events, parser) = await ParseAsync("event: cancel\nid: 7\ndata: x\n\ndata: y\n\n");

        Assert.Equal(("cancel", "x", "7"), (events[0].EventType, events[0].Data, events[0].LastEventId));
        Assert.Equal(("message", "y", "7"), (events[1].EventType, events[1].Data, events[1].LastEventId));
        Assert.Equal("7", parser.LastEventId);
    }

    [Fact]
    public async Task Read_CommentsAndUnknownFields_Ignored()
    {
        var (events, _) = await ParseAsync(": keep-alive\n\nfoo: bar\ndata: z\n: inside\n\n");

        Assert.Equal("z", Assert.Single(events).Data);
    }

    [Fact]
    public async Task Read_CrLfAndNoSpaceAfterColon_Parsed()
    {
        var (events, _) = await ParseAsync("data:a\r\ndata:  b\r\n\r\n");

        Assert.Equal("a\n b", Assert.Single(events).Data);
    }

    [Fact]
    public async Task Read_IncompleteLastEvent_Dropped()
    {
        var (events, parser) = await ParseAsync("id: 1\ndata: done\n\nid: 2\ndata: half");

        Assert.Equal("done", Assert.Single(events).Data);
        Assert.Equal("2", parser.LastEventId);
    }

    [Fact]
    public async Task Read_EventWithoutData_NotDispatchedButIdKept()
    {
        var (events, parser) = await ParseAsync("event: ping\nid: 9\n\n", lastEventId: "3");

        Assert.Empty(events);
        Assert.Equal("9", parser.LastEventId);
    }

    [Fact]
    public async Task Read_Retry_SetsReconnectDelayOnlyWhenNumeric()
    {
        var (_, parser) = await ParseAsync("retry: 250\n\nretry: soon\n\n");

        Assert.Equal(TimeSpan.FromMilliseconds(250), parser.Retry);
    }

    [Fact]
    public async Task Read_EmptyDataLine_CountsAsData()
    {
        var (events, _) = await ParseAsync("data\ndata\n\n");

        Assert.Equal("\n", Assert.Single(events).Data);
    }
}
