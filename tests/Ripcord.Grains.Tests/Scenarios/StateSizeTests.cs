using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Storage;
using Xunit.Abstractions;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>A turn's write does not grow with its case's history: history lives beside the state, not in it.</summary>
public sealed class StateSizeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Tasks = 100;
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task CaseOf100Tasks_HistoryGrows_CaseRecordStaysTheSameSize()
    {
        var definition = new ProcessDefinition
        {
            Name = "wide",
            Nodes = [.. Enumerable.Range(0, Tasks).Select(i => new NodeDefinition { Id = $"t{i}", Agent = "worker" }), new NodeDefinition { Id = "j", Join = "all" }],
            Edges = [.. Enumerable.Range(0, Tasks).Select(i => (System.Collections.Immutable.ImmutableArray<string>)[$"t{i}", "j"])],
        };
        await _h.StartCaseAsync("wide", definition);
        var leases = new List<(string TaskId, string Token)>();
        for (var i = 0; i < Tasks; i++)
        {
            leases.Add(($"t{i}", (await _h.ClaimAsync("wide", $"t{i}", $"w-{i}")).LeaseToken!));
        }

        var early = CaseRecordBytes();
        var historyEarly = (await _h.HistoryAsync("wide")).Count;

        await _h.CancelCaseAsync("wide", reason: "size check");
        foreach (var (taskId, token) in leases)
        {
            await _h.WaitForTaskAsync("wide", taskId, CaseTaskStatus.Cancelling);
            await _h.AckAsync("wide", taskId, token);
        }

        await _h.WaitForCaseAsync("wide", CaseStatus.Cancelled);
        await _h.WaitForAsync(() => _h.Record<CaseState>(RipcordStorage.CaseState, GrainKeys.Case("wide"))!.Outbox.IsEmpty, "the case's outbox to be compacted");
        var late = CaseRecordBytes();
        var historyLate = (await _h.HistoryAsync("wide")).Count;

        output.WriteLine($"case record: {early} bytes with {historyEarly} history events, {late} bytes with {historyLate}");
        Assert.True(historyLate > historyEarly + Tasks, $"history {historyEarly} -> {historyLate}");
        Assert.True(late < early * 2, $"the case record grew from {early} to {late} bytes");
    }

    private int CaseRecordBytes() =>
        JsonSerializer.SerializeToUtf8Bytes(_h.Record<CaseState>(RipcordStorage.CaseState, GrainKeys.Case("wide")), RipcordJson.Options).Length;
}
