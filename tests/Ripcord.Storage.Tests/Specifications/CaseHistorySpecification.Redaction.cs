using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Storage;
using static Ripcord.Storage.Tests.Samples;

namespace Ripcord.Storage.Tests.Specifications;

/// <summary>Redaction (data minimization): the one change made to stored events, the same in every store.</summary>
public abstract partial class CaseHistorySpecification
{
    private static PendingHistoryEvent WithDetail(string eventId, string type, string? detail) => new(
        eventId,
        new HistoryEvent
        {
            CaseId = "w",
            At = T0,
            Type = type,
            Actor = "alice",
            Reason = "applicant withdrew",
            TaskId = "founders",
            Detail = detail is null ? null : JsonDocument.Parse(detail).RootElement.Clone(),
        });

    private static readonly PendingHistoryEvent[] Withdrawal =
    [
        WithDetail("w#1", "case_started", """{"process":"investment","input":"Ada"}"""),
        WithDetail("w#2", "cancel_acknowledged", """{"checkpoint":{"page":3,"notes":["Ada"]},"snapshot":"s1"}"""),
        WithDetail("w#3", "resource_registered", """{"resourceId":"vm-1","kind":"vm","release":{"url":"http://cloud.test/vm-1"}}"""),
        WithDetail("w#4", "late_output_discarded", """{"output":null}"""),
        WithDetail("w#5", "case_cancelled", null),
    ];

    private static string Field(HistoryEvent e, string name) => e.Detail!.Value.GetProperty(name).GetRawText();

    [Fact]
    public async Task Redact_keeps_every_event_and_replaces_each_payload_by_its_size()
    {
        await History.AppendAsync("w", Withdrawal, default);
        await History.AppendAsync("x", [WithDetail("x#1", "case_started", """{"input":"Bob"}""")], default);

        await History.RedactAsync("w", keepSnapshots: false, default);
        var read = await History.ReadAsync("w", 0, 100, default);

        Assert.Equal([1L, 2, 3, 4, 5], read.Select(e => e.Sequence));
        Assert.All(read, e => Assert.Equal(("alice", "applicant withdrew", "founders", T0), (e.Actor, e.Reason, e.TaskId, e.At)));
        Assert.Equal(["case_started", "cancel_acknowledged", "resource_registered", "late_output_discarded", "case_cancelled"], read.Select(e => e.Type));
        Assert.Equal("\"investment\"", Field(read[0], "process"));
        var input = read[0].Detail!.Value.GetProperty("input");
        Assert.Equal((true, 5), (input.GetProperty("redacted").GetBoolean(), input.GetProperty("bytes").GetInt32()));
        Assert.True(read[1].Detail!.Value.GetProperty("checkpoint").GetProperty("bytes").GetInt32() > 0);
        Assert.DoesNotContain("Ada", read[1].Detail!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.True(read[1].Detail!.Value.GetProperty("snapshot").GetProperty("redacted").GetBoolean());
        Assert.Equal("\"vm-1\"", Field(read[2], "resourceId"));
        Assert.DoesNotContain("cloud.test", read[2].Detail!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("null", Field(read[3], "output"));
        Assert.Null(read[4].Detail);
        Assert.Equal("\"Bob\"", Field(Assert.Single(await History.ReadAsync("x", 0, 10, default)), "input"));
    }

    [Fact]
    public async Task Redact_again_changes_nothing_and_later_appends_are_redacted_as_they_are_stored()
    {
        await History.AppendAsync("w", Withdrawal[..2], default);
        await History.RedactAsync("w", keepSnapshots: false, default);
        var once = await History.ReadAsync("w", 0, 100, default);

        await History.RedactAsync("w", keepSnapshots: false, default);
        await History.AppendAsync("w", [.. Withdrawal[2..], WithDetail("w#1", "case_started", """{"input":"again"}""")], default);
        var read = await History.ReadAsync("w", 0, 100, default);

        Assert.Equal([1L, 2, 3, 4, 5], read.Select(e => e.Sequence));
        for (var i = 0; i < once.Count; i++)
        {
            AssertSameEvent(once[i], read[i]);
        }

        Assert.DoesNotContain("cloud.test", read[2].Detail!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.True(read[2].Detail!.Value.GetProperty("kind").GetProperty("redacted").GetBoolean());
    }

    [Fact]
    public async Task Redact_keeping_snapshots_leaves_the_audit_snapshot_and_erases_the_checkpoint()
    {
        await History.AppendAsync("w", Withdrawal, default);

        await History.RedactAsync("w", keepSnapshots: true, default);
        var acknowledged = (await History.ReadAsync("w", 0, 100, default))[1];

        Assert.Equal("\"s1\"", Field(acknowledged, "snapshot"));
        Assert.True(acknowledged.Detail!.Value.GetProperty("checkpoint").GetProperty("redacted").GetBoolean());
    }
}
