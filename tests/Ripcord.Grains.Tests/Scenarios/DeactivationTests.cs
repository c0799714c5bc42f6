using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Ripcord.Contracts;
using Ripcord.Contracts.Agents;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>
/// Orleans ends live activations: on a surviving silo, every one whose directory registration a dead silo held; on a
/// silo that stops, all of them. What such an activation still had to do goes on at once in the next one, not at the
/// recovery reminder's tick. Here the recovery period and the outbox's retry delay are an hour, so nothing but the
/// wake-up can bring the work back within the test.
/// </summary>
public sealed class DeactivationTests : IAsyncLifetime
{
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync(durability: o =>
    {
        o.RecoveryPeriod = TimeSpan.FromHours(1);
        o.FirstRetryDelay = TimeSpan.FromHours(1);
        o.MaxRetryDelay = TimeSpan.FromHours(1);
    });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task An_activation_ended_with_an_undelivered_entry_has_the_next_one_deliver_it_at_once()
    {
        // The ready notice of the first activation of task "work" fails, as if the gateway were unreachable.
        var contexts = _h.AnySilo().GetRequiredService<IGrainContextAccessor>();
        ActivationId? first = null;
        _h.ReadyNotices.Refuse = item =>
        {
            if (item is not TaskReadyNotice { CaseId: "w1", TaskId: "work" })
            {
                return false;
            }

            var activation = contexts.GrainContext.ActivationId;
            first ??= activation;
            return activation == first;
        };
        Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync("w1", Processes.Pipeline())).Status);
        await _h.WaitForAsync(() => _h.ReadyNotices.Refused > 0, "the ready notice to fail");
        Assert.DoesNotContain(_h.ReadyNotices.Items, i => i is TaskReadyNotice { CaseId: "w1" });

        await _h.TaskGrain("w1", "work").AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        await _h.WaitForAsync(() => _h.ReadyNotices.Items.Any(i => i is TaskReadyNotice { CaseId: "w1", TaskId: "work" }), "the next activation to deliver the ready notice");
        Assert.Equal(1, _h.WakesEntered(GrainKeys.Task("w1", "work")));
    }

    [Fact]
    public async Task An_activation_ended_with_a_deadline_due_before_the_reminder_has_the_next_one_fire_it()
    {
        Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync("w2", Processes.Pipeline(), cancel: new CancelOverrides { HoldSeconds = 30 })).Status);
        Assert.Equal(CaseStatus.CancelPending, (await _h.CancelCaseAsync("w2", mode: CancelMode.Force)).CaseStatus);

        await _h.CaseGrain("w2").AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        // The next activation has armed the hold's end when the wake-up enters it; only then does the hold run out.
        await _h.WaitForAsync(() => _h.WakesEntered(GrainKeys.Case("w2")) == 1, "the case grain's next activation to be woken");
        _h.Clock.AdvanceSeconds(30);
        await _h.WaitForCaseAsync("w2", CaseStatus.Cancelled);
        Assert.Contains(await _h.HistoryAsync("w2"), e => e.Type == "case_cancelled");
    }
}
