using System.Text.Json;
using Ripcord.Client.Agents;
using Ripcord.Client.Models;

namespace Ripcord.Client.Tests;

public sealed class AgentContextTests
{
    private static readonly TaskAssignment Task = new()
    {
        CaseId = "c-1",
        TaskId = "generate",
        Agent = "report-generator",
        Input = JsonSerializer.SerializeToElement(new { topic = "GPUs", pages = 2 }),
        Checkpoint = JsonSerializer.SerializeToElement(new { page = 1 }),
        LeaseToken = "L1",
    };

    private sealed record Input(string Topic, int Pages);

    private sealed record Checkpoint(int Page);

    [Fact]
    public async System.Threading.Tasks.Task Detached_RecordsWhatTheAgentReports()
    {
        var context = new AgentContext(Task);

        context.ReportProgress(0.5);
        context.AddUsage(100, 1);
        context.AddUsage(50);
        context.ReportEstimate(1000, 10);
        context.SaveCheckpoint(new Checkpoint(2));
        context.SaveSnapshot("half way");
        await context.HeartbeatAsync();

        Assert.Equal(new Input("GPUs", 2), context.GetInput<Input>());
        Assert.Equal(new Checkpoint(1), context.GetCheckpoint<Checkpoint>());
        Assert.Equal(0.5, context.Progress);
        Assert.Equal(new Usage { Tokens = 150, GpuSeconds = 1 }, context.Usage);
        Assert.Equal(1000, context.Estimate!.Tokens);
        Assert.Equal(2, context.SavedCheckpoint!.Value.GetProperty("page").GetInt32());
        Assert.Equal("half way", context.SavedSnapshot!.Value.GetString());
        Assert.Null(context.CancelSignal);
    }

    [Fact]
    public void ReportProgress_OutOfRange_Throws()
    {
        var context = new AgentContext(Task);

        Assert.Throws<ArgumentOutOfRangeException>(() => context.ReportProgress(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => context.ReportProgress(double.NaN));
    }

    [Fact]
    public async System.Threading.Tasks.Task Detached_ResourceCallWithoutClient_ThrowsClearly()
    {
        var context = new AgentContext(Task);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => context.ReleaseResourceAsync("vm-1"));
        Assert.Contains("not attached", exception.Message, StringComparison.Ordinal);
    }
}
