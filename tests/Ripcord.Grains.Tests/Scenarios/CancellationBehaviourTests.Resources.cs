using System.Net;
using Ripcord.Contracts;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>The resource registry: late registrations, failing webhooks, resources the agent freed.</summary>
public partial class CancellationBehaviourTests
{
    [Fact]
    public async Task Resource_RegisteredByFencedAgent_RejectedButReleasedAtOnce()
    {
        await _h.StartCaseAsync("z1", Processes.Investment);
        var leases = await ClaimAnalysesAsync("z1");
        await _h.CancelCaseAsync("z1", mode: CancelMode.Force);
        await _h.WaitForCaseAsync("z1", CaseStatus.Cancelled);

        var late = await _h.AskTaskAsync<TaskCommandResult>("z1", "market", new RegisterResource { LeaseToken = leases[0].Token, ResourceId = "vm-9", Kind = "vm", Release = new ResourceReleaseAction { Url = "http://cloud.test/vms/vm-9" } });

        Assert.Equal(CommandStatus.TaskCancelled, late.Status);
        await _h.WaitForAsync(() => _h.Registry("z1")?.Resources.GetValueOrDefault("vm-9")?.Status == ResourceStatus.Released, "the late VM to be released");
        Assert.Contains(await _h.HistoryAsync("z1"), e => e.Type == "late_resource_call_rejected");
    }

    [Fact]
    public async Task Registry_ReleaseWebhookKeepsFailing_RetriedWithBackoffThenOrphanedAndCaseStillEnds()
    {
        _h.Http.Responder = _ => HttpStatusCode.InternalServerError;
        await _h.StartCaseAsync("o1", Processes.Pipeline());
        var lease = await _h.ClaimAsync("o1", "work", "w-1");
        await _h.AskTaskAsync<TaskCommandResult>("o1", "work", new RegisterResource { LeaseToken = lease.LeaseToken!, ResourceId = "bucket-1", Kind = "bucket", Release = new ResourceReleaseAction { Url = "http://store.test/bucket-1" } });
        await _h.CancelCaseAsync("o1", mode: CancelMode.Force);

        foreach (var (attempt, wait) in new[] { (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0) })
        {
            await _h.WaitForAsync(() => _h.Http.CountCalls("http://store.test/bucket-1") == attempt && _h.Registry("o1")!.Resources["bucket-1"].LastError is not null, $"attempt {attempt} to fail");
            await _h.WaitForAsync(() => _h.History("o1").Count(e => e.Type == "resource_release_retry") == attempt, $"retry {attempt} to be scheduled");
            _h.Clock.AdvanceSeconds(wait);
        }

        await _h.WaitForCaseAsync("o1", CaseStatus.Cancelled);
        Assert.Equal(5, _h.Http.CountCalls("http://store.test/bucket-1"));
        Assert.Equal(ResourceStatus.Orphaned, _h.Registry("o1")!.Resources["bucket-1"].Status);
        Assert.Equal(1, _h.Case("o1").Measures.ResourcesOrphaned);
        Assert.Contains(await _h.HistoryAsync("o1"), e => e.Type == "resource_release_alert");
    }

    [Fact]
    public async Task Resource_FreedByItsAgent_NotReleasedAgain()
    {
        await _h.StartCaseAsync("fr1", Processes.Pipeline());
        var lease = await _h.ClaimAsync("fr1", "work", "w-1");
        await _h.AskTaskAsync<TaskCommandResult>("fr1", "work", new RegisterResource { LeaseToken = lease.LeaseToken!, ResourceId = "tmp-1", Release = new ResourceReleaseAction { Url = "http://tmp.test/1" } });
        await _h.AskTaskAsync<TaskCommandResult>("fr1", "work", new FreeResource { LeaseToken = lease.LeaseToken!, ResourceId = "tmp-1" });

        await _h.CancelCaseAsync("fr1", mode: CancelMode.Force);

        await _h.WaitForCaseAsync("fr1", CaseStatus.Cancelled);
        Assert.Equal(ResourceStatus.Released, _h.Registry("fr1")!.Resources["tmp-1"].Status);
        Assert.Empty(_h.Http.Calls);
    }
}
