using System.Text.Json;
using Ripcord.Client;
using Ripcord.Client.Models;

namespace Ripcord.Silo.Tests.SampleAgents;

/// <summary>The seed's Cancel Activity scenario, acted out by the sample agents over HTTP.</summary>
public sealed class ReportSampleTests
{
    [Fact]
    public async Task CancelGenerate_QuickSummaryIsDeliveredFromTheGeneratorsCheckpoint()
    {
        await using var silo = await SampleSilo.StartAsync();
        using var client = SampleSilo.Client(silo);
        var handle = await client.StartCaseAsync(new StartCaseOptions { Process = "report", Input = new { topic = "GPU prices" } });
        await using var watch = new CaseWatch(handle);
        await watch.WaitForAsync("task_running", "generate");

        var cancel = await handle.CancelTaskAsync("generate", new CancelTaskOptions { Reason = "get a quick summary instead" });

        Assert.False(cancel.AlreadyClosed);
        var acknowledged = await watch.WaitForAsync("cancel_acknowledged", "generate");
        var fallback = await watch.WaitForAsync("fallback_started", "summary");
        await watch.WaitForAsync("case_completed");
        var report = await handle.DescribeAsync();

        Assert.Equal(CaseStatus.Completed, report.Status);
        var generate = report.Tasks.Single(t => t.TaskId == "generate");
        Assert.Equal(CaseTaskStatus.Cancelled, generate.Status);
        Assert.False(generate.Cancel!.Fenced);
        Assert.NotNull(generate.Cancel.AckedAt);
        Assert.Equal(CaseTaskStatus.Completed, report.Tasks.Single(t => t.TaskId == "summary").Status);

        // The generator acknowledged with its draft, the fallback started with it, and the summary says it used it.
        var checkpoint = acknowledged.Detail!.Value.GetProperty("checkpoint");
        Assert.Equal("GPU prices", checkpoint.GetProperty("topic").GetString());
        Assert.Equal(8, checkpoint.GetProperty("outline").GetArrayLength());
        Assert.True(fallback.Detail!.Value.GetProperty("hasCheckpoint").GetBoolean());
        var output = report.Output!.Value;
        Assert.Equal("quick-summary", output.GetProperty("kind").GetString());
        Assert.Equal("GPU prices", output.GetProperty("topic").GetString());
        Assert.Contains("GPU prices", output.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var basedOn = output.GetProperty("basedOn");
        Assert.True(basedOn.GetProperty("checkpoint").GetBoolean());
        Assert.Equal(checkpoint.GetProperty("sectionsDone").GetInt32(), basedOn.GetProperty("sectionsDrafted").GetInt32());
        Assert.Equal(checkpoint.GetProperty("draftTokens").GetInt64(), basedOn.GetProperty("draftTokens").GetInt64());
        Assert.Equal(JsonValueKind.Array, output.GetProperty("highlights").ValueKind);
    }

    [Fact]
    public async Task Uncancelled_GeneratorDeliversTheFullReportAndReportsItsEstimate()
    {
        await using var silo = await SampleSilo.StartAsync(new Dictionary<string, string?> { ["Ripcord:SampleAgents:ReportGenerator:Seconds"] = "0.8" });
        using var client = SampleSilo.Client(silo);
        var handle = await client.StartCaseAsync(new StartCaseOptions { Process = "report", Input = new { topic = "solar panels", scope = "brief" } });
        await using var watch = new CaseWatch(handle);

        await watch.WaitForAsync("case_completed");
        var report = await handle.DescribeAsync();

        var output = report.Output!.Value;
        Assert.Equal("report", output.GetProperty("kind").GetString());
        Assert.Equal("solar panels", output.GetProperty("topic").GetString());
        Assert.Equal(8, output.GetProperty("sections").GetArrayLength());
        Assert.Equal(CaseTaskStatus.Skipped, report.Tasks.Single(t => t.TaskId == "summary").Status);
        Assert.Equal(12_800, report.Tasks.Single(t => t.TaskId == "generate").Estimate!.Tokens);
    }
}
