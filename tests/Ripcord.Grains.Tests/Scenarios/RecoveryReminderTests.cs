using Microsoft.Extensions.DependencyInjection;
using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>
/// The recovery reminder of an idle grain: let go when nothing is pending, put off until a far deadline (a retention
/// period) rather than waking the grain every recovery period meanwhile; both by the compaction that follows the
/// outbox's delivery. The recovery period here is an hour, so a reminder that moves within the test was moved by the
/// compaction, not by its own tick.
/// </summary>
public sealed class RecoveryReminderTests : IAsyncLifetime
{
    private const string Recovery = "ripcord-recovery";
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync(durability: o => o.RecoveryPeriod = Period);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_case_that_ended_with_only_its_retention_deadline_left_puts_its_reminder_off_until_then()
    {
        var retained = new ProcessDefinition
        {
            Name = "retained-reminder",
            Nodes = [new NodeDefinition { Id = "check", Agent = "checker" }],
            Retention = new RetentionSettings { CancelledSeconds = 7 * 86400 },
        };
        Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync("kept", retained)).Status);
        Assert.Equal(CommandStatus.Accepted, (await _h.CancelCaseAsync("kept", mode: CancelMode.Force, reason: "withdrawn")).Status);
        await _h.WaitForCaseAsync("kept", CaseStatus.Cancelled);

        // Put off: its first tick about the deadline's week away, not a recovery period from now.
        await _h.WaitUntilAsync(async () => await ReminderAsync("kept") is { } r && r.StartAt > DateTime.UtcNow.AddDays(6), "the case's recovery reminder to be put off");
        var reminder = (await ReminderAsync("kept"))!;
        Assert.True(reminder.StartAt < DateTime.UtcNow.AddDays(7).AddMinutes(1), $"put off until {reminder.StartAt:O}, past the deadline");
        Assert.Equal(Period, reminder.Period);
    }

    [Fact]
    public async Task A_case_that_ended_with_nothing_pending_lets_its_reminder_go()
    {
        Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync("gone", Processes.Pipeline())).Status);
        Assert.Equal(CommandStatus.Accepted, (await _h.CancelCaseAsync("gone", mode: CancelMode.Force, reason: "withdrawn")).Status);
        await _h.WaitForCaseAsync("gone", CaseStatus.Cancelled);

        await _h.WaitUntilAsync(async () => await ReminderAsync("gone") is null, "the case's recovery reminder to go");
        Assert.Null(await ReminderAsync("gone"));
    }

    [Fact]
    public async Task A_case_whose_turns_delivered_everything_themselves_lets_its_reminder_go()
    {
        // Start, claim, complete: the case's turns deliver their mail, history and index rows before they answer,
        // and no handler runs for them, so no flush ends to schedule the compaction.
        var single = new ProcessDefinition { Name = "single-reminder", Nodes = [new NodeDefinition { Id = "work", Agent = "worker" }] };
        Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync("done", single)).Status);
        var claim = await _h.ClaimAsync("done", "work", "worker-1");
        Assert.Equal(CommandStatus.Ok, (await _h.CompleteAsync("done", "work", claim.LeaseToken!, """{"ok":true}""")).Status);
        await _h.WaitForCaseAsync("done", CaseStatus.Completed);

        await _h.WaitUntilAsync(async () => await ReminderAsync("done") is null && await ReminderAsync("done", "work") is null, "the case's and the task's recovery reminders to go");
        Assert.Empty(_h.Record<CaseState>(RipcordStorage.CaseState, GrainKeys.Case("done"))!.Outbox);
    }

    private Task<ReminderEntry?> ReminderAsync(string caseId) =>
        _h.AnySilo().GetRequiredService<IReminderTable>().ReadRow(_h.CaseGrain(caseId).GetGrainId(), Recovery)!;

    private Task<ReminderEntry?> ReminderAsync(string caseId, string taskId) =>
        _h.AnySilo().GetRequiredService<IReminderTable>().ReadRow(_h.TaskGrain(caseId, taskId).GetGrainId(), Recovery)!;
}
