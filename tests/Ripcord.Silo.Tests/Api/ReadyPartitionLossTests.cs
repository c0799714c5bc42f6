using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Ripcord.Silo.Agents;

namespace Ripcord.Silo.Tests.Api;

/// <summary>
/// The ready-task partitions live in memory: those of a silo that leaves the cluster come back elsewhere empty and
/// knowing no subscriber. A poll waiting on a silo that stays must still hear of the next task at once, not when its
/// wait ends.
/// </summary>
public sealed class ReadyPartitionLossTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly RunningSilo _silo = fixture.Silo;

    [Fact]
    public async Task A_waiting_poll_gets_a_task_offered_to_partitions_that_came_back_empty_after_a_silo_left()
    {
        var suffix = "lost-" + Guid.NewGuid().ToString("N")[..6];
        var process = await _silo.RegisterReportAsync(suffix);
        var dispatcher = _silo.Services.GetRequiredService<ReadyTaskDispatcher>();

        // Waits (the longest a poll may) twice as long as the test: only a wake-up can answer it in time.
        var poll = _silo.PostAsync($"/api/v1/agents/gen-{suffix}/poll", TestKeys.Agent, new { agents = new[] { "report-generator-" + suffix }, waitSeconds = 60 });
        await WaitUntilAsync(() => dispatcher.WaitingPolls == 1, "the poll to wait");

        // As when the silo holding them dies: every partition is a new activation, subscribed by no silo.
        await _silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await dispatcher.ResubscribeAsync(CancellationToken.None);

        var caseId = await _silo.StartCaseAsync(process);
        var claimed = await poll.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, claimed.Status);
        Assert.Equal((caseId, "generate"), (claimed.Body.GetProperty("caseId").GetString(), claimed.Body.GetProperty("taskId").GetString()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var until = DateTimeOffset.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
