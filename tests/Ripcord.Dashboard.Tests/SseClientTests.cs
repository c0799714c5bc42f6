using System.Text.Json;
using Ripcord.Dashboard.Tests.Fake;
using Ripcord.Dashboard.Tests.Infrastructure;

namespace Ripcord.Dashboard.Tests;

/// <summary>The dashboard's SSE parser (js/sse.js), run in the browser on hand-made chunks.</summary>
public sealed class SseClientTests(BrowserFixture browser) : DashboardTestBase(browser)
{
    private const string Script = """
        async (chunks) => {
          const { SseParser } = await import('/js/sse.js');
          const events = [];
          const comments = [];
          const parser = new SseParser((e) => events.push(e), (c) => comments.push(c));
          for (const chunk of chunks) parser.push(chunk);
          parser.end();
          return JSON.stringify({ events, comments, retry: parser.retry ?? null });
        }
        """;

    [Fact]
    public async Task SseParser_SplitChunksMixedLineEndsCommentsAndMultilineData_ParsesEveryEvent()
    {
        await Session.GotoAsync("/login");
        string[] chunks =
        [
            ": hello\r\n\r\nid: 1\nevent: case_started\ndata: {\"caseId\":",
            "\"c-1\"}\n\n",
            "data: line one\r\ndata: line two\r",
            "\n\r\nid: 7\ndata:no space\nretry: 1500\n\n",
            "event: ignored-without-data\n\n",
            "data\n\n",
            "id: 8\ndata: cut off at the end",
        ];

        var json = await Session.Page.EvaluateAsync<string>(Script, chunks);
        using var result = JsonDocument.Parse(json);
        var events = result.RootElement.GetProperty("events").EnumerateArray().ToList();

        Assert.Equal(4, events.Count);
        Assert.Equal("case_started", events[0].GetProperty("type").GetString());
        Assert.Equal("{\"caseId\":\"c-1\"}", events[0].GetProperty("data").GetString());
        Assert.Equal("1", events[0].GetProperty("lastEventId").GetString());
        Assert.Equal("message", events[1].GetProperty("type").GetString());
        Assert.Equal("line one\nline two", events[1].GetProperty("data").GetString());
        Assert.Equal("1", events[1].GetProperty("lastEventId").GetString());
        Assert.Equal("no space", events[2].GetProperty("data").GetString());
        Assert.Equal("7", events[2].GetProperty("lastEventId").GetString());
        Assert.Equal("", events[3].GetProperty("data").GetString());
        Assert.Equal(" hello", result.RootElement.GetProperty("comments")[0].GetString());
        Assert.Equal(1500, result.RootElement.GetProperty("retry").GetInt32());
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CaseStream_Dropped_ReconnectsWithLastEventIdAndKeepsUpdating()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/r-1");
        var stream = FakeEventStreams.ForCase("r-1");
        await Api.Streams.WaitForConnectionAsync(stream);
        Api.ChangeCase(CannedData.RunningReport("r-1"), "task_heartbeat");

        Api.Streams.Drop(stream);
        await Api.Streams.WaitForConnectionAsync(stream, count: 2);
        Assert.NotNull(Api.Streams.Opened.Last(o => o.Stream == stream).LastEventId);

        Api.ChangeCase(CannedData.ReportAfterCancelActivity("r-1", "alice", "quick summary"), "case_completed");
        await Microsoft.Playwright.Assertions.Expect(Session.Page.Locator("#case-status")).ToHaveTextAsync("completed", new() { Timeout = 2_000 });
        Session.AssertNoConsoleErrors();
    }
}
