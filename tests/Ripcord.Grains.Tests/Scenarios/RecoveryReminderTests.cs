using Microsoft.Extensions.DependencyInjection;
using Ripcord.Contracts;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>
/// The recovery reminder of an idle grain: let go when nothing is pending, put off until a far deadline (a retention
/// period) rather than waking the grain every recovery period meanwhile.
/// </summary>
public sealed class RecoveryReminderTests : IAsyncLifetime
{
    private const string Recovery = "ripcord-recovery";
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_case_that_ended_with_only_its_retention_deadline_left_puts_its_reminder_off_until_then()
    {
        var retained = new ProcessDefinition
        {
            Name = "retained-reminder",
            Nodes = [new NodeDefinition { Id = "check", Agent = "checker" }],
            Retention = new RetentionSettings { CancelledSeconds = 3600 },
        };
        Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync("kept", retained)).Status);
        Assert.Equal(CommandStatus.Accepted, (await _h.CancelCaseAsync("kept", mode: CancelMode.Force, reason: "withdrawn")).Status);
        await _h.WaitForCaseAsync("kept", CaseStatus.Cancelled);

        // The recovery period here is 1 s: a reminder put off is one whose first tick is about the deadline's hour away.
        await _h.WaitUntilAsync(async () => await ReminderAsync("kept") is { } r && r.StartAt > DateTime.UtcNow.AddMinutes(30), "the case's recovery reminder to be put off");
        var reminder = (await ReminderAsync("kept"))!;
        Assert.True(reminder.StartAt < DateTime.UtcNow.AddMinutes(61), $"put off until {reminder.StartAt:O}, past the deadline");
        Assert.Equal(TimeSpan.FromSeconds(1), reminder.Period);
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

    private Task<ReminderEntry?> ReminderAsync(string caseId) =>
        _h.AnySilo().GetRequiredService<IReminderTable>().ReadRow(_h.CaseGrain(caseId).GetGrainId(), Recovery)!;
}
