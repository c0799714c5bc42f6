using System.Text.Json;
using Ripcord.Client;
using Ripcord.Client.Models;
using Ripcord.Silo.Tests.Api;

namespace Ripcord.Silo.Tests.Clients;

/// <summary>The .NET client SDK against a real silo over HTTP.</summary>
public sealed class ClientSdkAgainstSiloTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    private RipcordClient Client(string key) => new(new RipcordClientOptions { BaseAddress = _silo.Address, ApiKey = key });

    [Fact]
    public async Task CaseHandle_StartDescribeCancelWatch_FollowsTheCaseToCancelled()
    {
        using var client = Client(TestKeys.Operator);
        var process = await _silo.RegisterReportAsync("sdk");

        var handle = await client.StartCaseAsync(new StartCaseOptions { Process = process, Input = new { topic = "tides" } });
        var described = await handle.DescribeAsync();
        Assert.Equal(process, described.Process);
        Assert.Equal(CaseStatus.Running, described.Status);

        var watching = Task.Run(async () =>
        {
            var types = new List<string>();
            await foreach (var e in handle.WatchAsync(cancellationToken: new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
            {
                types.Add(e.Type);
                if (e.Type == "case_cancelled")
                {
                    break;
                }
            }

            return types;
        });
        var cancel = await handle.CancelAsync(new CancelOptions { Mode = CancelMode.Force, Reason = "withdrawn" });
        Assert.False(cancel.AlreadyClosed);
        Assert.Equal(CaseStatus.ForceCancelling, cancel.Status);

        var types = await watching;
        Assert.Equal("case_started", types[0]);
        Assert.Contains("cancel_requested", types);
        Assert.Equal("case_cancelled", types[^1]);
        var again = await handle.CancelAsync(new CancelOptions { Reason = "again" });
        Assert.True(again.AlreadyClosed);
        Assert.Equal(CaseStatus.Cancelled, again.Status);
    }

    [Fact]
    public async Task CaseHandle_Purge_RedactsAndDescribeShowsWhenAndByWhom()
    {
        using var operatorClient = Client(TestKeys.Operator);
        using var admin = Client(TestKeys.Admin);
        var handle = await operatorClient.StartCaseAsync(new StartCaseOptions { Process = await _silo.RegisterReportAsync("sdk-purge"), Input = new { applicant = "Ada" } });
        await Assert.ThrowsAsync<ConflictException>(() => admin.GetCase(handle.CaseId).PurgeAsync());
        await handle.CancelAsync(new CancelOptions { Mode = CancelMode.Force, Reason = "withdrawn" });
        await _silo.WaitForViewAsync(handle.CaseId, v => v.GetProperty("status").GetString() == "cancelled");

        await Assert.ThrowsAsync<ForbiddenException>(() => handle.PurgeAsync());
        var purge = await admin.GetCase(handle.CaseId).PurgeAsync(new PurgeOptions { Reason = "erasure request" });
        var described = await handle.DescribeAsync();

        Assert.Equal("root", purge.RedactedBy);
        Assert.Equal(purge.RedactedAt, described.RedactedAt);
        Assert.Equal("root", described.RedactedBy);
    }

    [Fact]
    public async Task PutProcess_Retention_ReadsBackAsSent()
    {
        using var admin = Client(TestKeys.Admin);
        var name = "sdk-retention-" + Guid.NewGuid().ToString("N")[..6];

        await admin.PutProcessAsync(new ProcessDefinition
        {
            Name = name,
            Nodes = [new ProcessNode { Id = "a", Agent = "x" }],
            Retention = new RetentionDefaults { CancelledSeconds = 3600, AuditPreserving = true },
        });
        var stored = Assert.Single(await admin.ListProcessesAsync(), p => p.Name == name);

        Assert.Equal(new RetentionDefaults { CancelledSeconds = 3600, AuditPreserving = true }, stored.Retention);
    }

    [Fact]
    public async Task Client_ProblemCodes_AreTypedExceptions()
    {
        using var viewer = Client(TestKeys.Viewer);
        using var stranger = Client("not-a-key-at-all");

        await Assert.ThrowsAsync<CaseNotFoundException>(() => viewer.GetCase("no-such-case").DescribeAsync());
        await Assert.ThrowsAsync<ForbiddenException>(() => viewer.StartCaseAsync(new StartCaseOptions { Process = "report" }));
        await Assert.ThrowsAsync<UnauthenticatedException>(() => stranger.GetCase("no-such-case").DescribeAsync());
        await Assert.ThrowsAsync<ProcessNotFoundException>(async () =>
        {
            using var operatorClient = Client(TestKeys.Operator);
            await operatorClient.StartCaseAsync(new StartCaseOptions { Process = "no-such-process" });
        });
    }

    [Fact]
    public async Task CancelTasks_Several_CancelsEachAndReportsAlreadyClosedOnRepeat()
    {
        using var client = Client(TestKeys.Operator);
        var handle = await client.StartCaseAsync(new StartCaseOptions { Process = "investment" });

        var first = await handle.CancelTasksAsync(["market", "founders"], new CancelTaskOptions { Reason = "enough" });
        Assert.False(first.AlreadyClosed);
        var described = await handle.DescribeAsync();
        Assert.All(described.Tasks.Where(t => t.TaskId is "market" or "founders"), t => Assert.Contains(t.Status, new[] { CaseTaskStatus.Cancelled, CaseTaskStatus.Cancelling }));
    }
}
