using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Storage;

namespace Ripcord.Storage.Tests;

/// <summary>Rows and events for the store specifications, with times PostgreSQL keeps exactly (whole microseconds).</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, 123, TimeSpan.Zero);

    public static CaseIndexEntry Entry(string caseId, long version = 1, CaseStatus status = CaseStatus.Running, string process = "research") => new()
    {
        CaseId = caseId,
        Process = process,
        Status = status,
        CreatedAt = T0.AddSeconds(caseId.Length),
        EndedAt = status is CaseStatus.Completed or CaseStatus.Cancelled or CaseStatus.Failed ? T0.AddMinutes(5) : null,
        HadHold = status == CaseStatus.CancelPending,
        Measures = new CaseMeasures
        {
            Tasks = [new TaskCancelMeasure { TaskId = "t1", SignalLatencySeconds = 0.25, AckLatencySeconds = 1.5, TokensSaved = 1200 }],
            TokensSaved = 1200,
            GpuSecondsSaved = 3.5,
            CaseCancels = (int)version,
        },
        Version = version,
    };

    public static PendingHistoryEvent Event(string caseId, string eventId, string type = "task_started", int second = 0) => new(
        eventId,
        new HistoryEvent
        {
            CaseId = caseId,
            At = T0.AddSeconds(second),
            Type = type,
            Actor = "agent:alpha",
            Reason = second % 2 == 0 ? null : "because",
            TaskId = second % 3 == 0 ? null : "t" + second,
            Detail = second % 2 == 0 ? JsonDocument.Parse("""{"b":1,"a":[1,"x",{"c":null}]}""").RootElement.Clone() : null,
        });

    /// <summary>Equality of everything the index stores (the measures by their JSON: their arrays compare by reference).</summary>
    public static void AssertSameRow(CaseIndexEntry expected, CaseIndexEntry? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.CaseId, actual.CaseId);
        Assert.Equal(expected.Process, actual.Process);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.EndedAt, actual.EndedAt);
        Assert.Equal(expected.HadHold, actual.HadHold);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(JsonSerializer.Serialize(expected.Measures, RipcordJson.Options), JsonSerializer.Serialize(actual.Measures, RipcordJson.Options));
    }

    public static void AssertSameEvent(HistoryEvent expected, HistoryEvent actual)
    {
        Assert.Equal(expected.CaseId, actual.CaseId);
        Assert.Equal(expected.At, actual.At);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Actor, actual.Actor);
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.Equal(expected.TaskId, actual.TaskId);
        Assert.Equal(expected.Detail is null, actual.Detail is null);
        if (expected.Detail is { } detail)
        {
            Assert.True(JsonElement.DeepEquals(detail, actual.Detail!.Value), $"{detail.GetRawText()} != {actual.Detail!.Value.GetRawText()}");
        }
    }

    /// <summary>Waits (real time) until <paramref name="task"/> completes, failing after <paramref name="seconds"/>.</summary>
    public static async Task CompletesWithin(Task task, double seconds = 10)
    {
        var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds)));
        Assert.True(finished == task, $"The wait did not complete within {seconds} s.");
        await task;
    }

    /// <summary>Gives <paramref name="task"/> some real time and checks it is still running.</summary>
    public static async Task StillWaiting(Task task, int milliseconds = 300)
    {
        await Task.Delay(milliseconds);
        Assert.False(task.IsCompleted, "The wait completed early.");
    }
}
