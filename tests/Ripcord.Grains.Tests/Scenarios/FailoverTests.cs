using System.Collections.Concurrent;
using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>
/// The durability protocol under Orleans' at-most-once delivery: a silo killed in the middle of a Cancel Case fan-out
/// or before a case's retention deadline, and a message delivered twice. The silos share a storage and a reminder
/// table that outlive the killed silo.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private const int Cases = 20;
    private const int TasksPerCase = 5;
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync(silos: 3);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>Five parallel tasks into a terminal join.</summary>
    private static ProcessDefinition FanOut => new()
    {
        Name = "fan-out",
        Nodes =
        [
            .. Enumerable.Range(1, TasksPerCase).Select(i => new NodeDefinition { Id = $"t{i}", Agent = "worker" }),
            new NodeDefinition { Id = "j", Join = "all" },
        ],
        Edges = [.. Enumerable.Range(1, TasksPerCase).Select(i => ImmutableArrayOf($"t{i}", "j"))],
    };

    [Fact]
    public async Task CancelCase_SiloKilledDuringFanOut_EveryCaseCancelledAndEveryResourceReleasedOnce()
    {
        var leases = new ConcurrentDictionary<(string CaseId, string TaskId), string>();
        for (var c = 0; c < Cases; c++)
        {
            var caseId = $"kill-{c}";
            Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync(caseId, FanOut)).Status);
            for (var t = 1; t <= TasksPerCase; t++)
            {
                var taskId = $"t{t}";
                var claim = await _h.ClaimAsync(caseId, taskId, $"agent-{c}-{t}");
                leases[(caseId, taskId)] = claim.LeaseToken!;
                var registered = await _h.AskTaskAsync<TaskCommandResult>(caseId, taskId, new RegisterResource
                {
                    LeaseToken = claim.LeaseToken!,
                    ResourceId = $"vm-{t}",
                    Kind = "vm",
                    Release = new ResourceReleaseAction { Url = $"http://cloud.test/{caseId}/vm-{t}" },
                });
                Assert.Equal(CommandStatus.Ok, registered.Status);
            }
        }

        // Every cancel answered is durable; kill a silo while the fan-out of the first ones is on its way.
        var accepted = new List<string>();
        var victim = _h.Cluster.GetActiveSilos().Skip(1).First();
        for (var c = 0; c < Cases; c++)
        {
            if (c == Cases / 4)
            {
                await _h.Cluster.KillSiloAsync(victim);
            }

            var caseId = $"kill-{c}";
            var cancel = await CancelWithRetryAsync(caseId);
            Assert.Equal(CommandStatus.Accepted, cancel.Status);
            accepted.Add(caseId);
        }

        // Agents acknowledge whenever their task shows the cancel; a task whose grain lived on the dead silo comes
        // back on a survivor from storage, its outbox and deadlines re-armed.
        foreach (var ((caseId, taskId), token) in leases)
        {
            await _h.WaitForTaskAsync(caseId, taskId, CaseTaskStatus.Cancelling);
            var ack = await AckWithRetryAsync(caseId, taskId, token);
            Assert.True(ack.Status == CommandStatus.Ok, $"{caseId}/{taskId}: {ack.Status} {ack.Error}");
        }

        foreach (var caseId in accepted)
        {
            await _h.WaitForCaseAsync(caseId, CaseStatus.Cancelled);
            var registry = _h.Registry(caseId)!;
            Assert.Equal(TasksPerCase, registry.Resources.Count);
            Assert.All(registry.Resources.Values, r => Assert.Equal(ResourceStatus.Released, r.Status));
            for (var t = 1; t <= TasksPerCase; t++)
            {
                Assert.Equal(1, _h.Http.CountCalls($"http://cloud.test/{caseId}/vm-{t}"));
            }

            Assert.Single(await _h.HistoryAsync(caseId), e => e.Type == "cancel_requested");
        }
    }

    [Fact]
    public async Task RetentionDeadline_SiloOfTheCaseKilled_FiresOnASurvivorAndErasesThePayloads()
    {
        var retained = new ProcessDefinition
        {
            Name = "retained",
            Nodes = [new NodeDefinition { Id = "check", Agent = "checker" }],
            Retention = new RetentionSettings { CancelledSeconds = 600 },
        };

        // Placement is random: of sixteen cases, take one whose grain lives on a silo that may be killed.
        var primary = _h.Cluster.GetActiveSilos().First().SiloAddress;
        var management = _h.Grains.GetGrain<IManagementGrain>(0);
        string? caseId = null;
        SiloAddress? host = null;
        for (var i = 0; i < 16 && caseId is null; i++)
        {
            Assert.Equal(CommandStatus.Created, (await _h.StartCaseAsync($"retained-{i}", retained, input: """{"applicant":"Ada"}""")).Status);
            host = await management.GetActivationAddress(_h.CaseGrain($"retained-{i}"));
            caseId = host is not null && !host.Equals(primary) ? $"retained-{i}" : null;
        }

        Assert.NotNull(caseId);
        var lease = await _h.ClaimAsync(caseId, "check", "checker-1");
        await _h.AskTaskAsync<HeartbeatResult>(caseId, "check", new Heartbeat { LeaseToken = lease.LeaseToken!, Checkpoint = DomainHarness.Json("""{"applicant":"Ada"}""") });
        Assert.Equal(CommandStatus.Accepted, (await _h.CancelCaseAsync(caseId, mode: CancelMode.Force, reason: "withdrawn")).Status);
        await _h.WaitForCaseAsync(caseId, CaseStatus.Cancelled);

        await _h.Cluster.KillSiloAsync(_h.Cluster.GetActiveSilos().Single(s => s.SiloAddress.Equals(host)));
        _h.Clock.AdvanceSeconds(600);

        await _h.WaitForAsync(() => _h.Case(caseId).RedactedAt is not null && _h.Task(caseId, "check")!.Checkpoint is null, $"case {caseId} to be redacted on a survivor");
        Assert.Null(_h.Case(caseId).Input);
        Assert.Equal(CaseMachine.System, _h.Case(caseId).RedactedBy);

        // The turn's history is appended just after its state is written: wait on it rather than read it at once.
        await _h.WaitForAsync(() => _h.History(caseId).Any(e => e.Type == "case_redacted"), $"case {caseId}'s history to record the redaction");
    }

    [Fact]
    public async Task Deliver_SameMailTwice_AppliedOnce()
    {
        await _h.StartCaseAsync("dup", Processes.Pipeline());
        var work = await _h.ClaimAsync("dup", "work", "w-1");
        await _h.CompleteAsync("dup", "work", work.LeaseToken!, """{"n":1}""");
        var finish = await _h.ClaimAsync("dup", "finish", "f-1");
        await _h.CompleteAsync("dup", "finish", finish.LeaseToken!, """{"done":true}""");
        await _h.WaitForAsync(() => _h.Case("dup") is { Status: CaseStatus.Completed, ResourcesSettledAt: not null }, "the case to complete and settle");
        var before = _h.Record<CaseState>(RipcordStorage.CaseState, GrainKeys.Case("dup"))!;

        // A late completion delivered as outbox mail, then again with the same sender and sequence, then an older one.
        var late = new TaskEnded { TaskId = "finish", Status = CaseTaskStatus.Completed, Attempt = 1, Output = DomainHarness.Json("""{"done":"again"}""") };
        await _h.DeliverAsync(GrainKeys.Case("dup"), "test-sender", 7, late);
        var once = _h.Record<CaseState>(RipcordStorage.CaseState, GrainKeys.Case("dup"))!;
        var historyOnce = (await _h.HistoryAsync("dup")).Count;
        await _h.DeliverAsync(GrainKeys.Case("dup"), "test-sender", 7, late);
        await _h.DeliverAsync(GrainKeys.Case("dup"), "test-sender", 3, late);
        var twice = _h.Record<CaseState>(RipcordStorage.CaseState, GrainKeys.Case("dup"))!;

        Assert.True(once.Version > before.Version);
        Assert.False(before.Applied.ContainsKey("test-sender"));
        Assert.Equal(7, once.Applied["test-sender"]);
        Assert.Equal(7, twice.Applied["test-sender"]);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(once.State), System.Text.Json.JsonSerializer.Serialize(twice.State));
        Assert.Equal(historyOnce, (await _h.HistoryAsync("dup")).Count);
        Assert.Equal("true", twice.State!.Output!.Value.GetProperty("done").GetRawText());
    }

    [Fact]
    public async Task Deliver_MailArrivingDuringAWrite_AppliedInTheNextWriteEachOnce()
    {
        var key = GrainKeys.Case("group");
        await _h.StartCaseAsync("group", Processes.Pipeline());
        var work = await _h.ClaimAsync("group", "work", "w-1");
        await _h.CompleteAsync("group", "work", work.LeaseToken!, """{"n":1}""");
        var finish = await _h.ClaimAsync("group", "finish", "f-1");
        await _h.CompleteAsync("group", "finish", finish.LeaseToken!, """{"done":true}""");
        await _h.WaitForAsync(() => _h.Case("group") is { Status: CaseStatus.Completed, ResourcesSettledAt: not null }, "the case to complete and settle");
        var late = new TaskEnded { TaskId = "finish", Status = CaseTaskStatus.Completed, Attempt = 1, Output = DomainHarness.Json("""{"done":"late"}""") };
        await _h.DeliverAsync(key, "sender-0", 1, late);
        var before = _h.Record<CaseState>(RipcordStorage.CaseState, key)!;

        // Hold the case grain's next write; what arrives meanwhile must wait and go in one write after it.
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = _h.DeliveriesEntered(key);
        _h.SharedStorage!.WriteGate = (state, id) => state == RipcordStorage.CaseState && id.Key.ToString() == key ? hold.Task : Task.CompletedTask;
        try
        {
            var held = _h.DeliverAsync(key, "sender-1", 1, late);
            await _h.WaitForAsync(() => _h.DeliveriesEntered(key) == entered + 1, "the first mail to enter the case grain");
            var waiting = new List<Task>();
            for (var i = 2; i <= 10; i++)
            {
                waiting.Add(_h.DeliverAsync(key, $"sender-{i}", 1, late));
            }

            // Duplicates, of a mail applied before and of mail waiting in the same group.
            waiting.Add(_h.DeliverAsync(key, "sender-0", 1, late));
            waiting.Add(_h.DeliverAsync(key, "sender-2", 1, late));
            await _h.WaitForAsync(() => _h.DeliveriesEntered(key) == entered + 12, "every mail to enter the case grain");
            Assert.False(held.IsCompleted);
            Assert.DoesNotContain(waiting, t => t.IsCompleted);

            hold.SetResult();
            await held;
            await Task.WhenAll(waiting);
        }
        finally
        {
            _h.SharedStorage.WriteGate = null;
        }

        var after = _h.Record<CaseState>(RipcordStorage.CaseState, key)!;
        Assert.Equal(2, after.Version - before.Version);
        for (var i = 0; i <= 10; i++)
        {
            Assert.Equal(1, after.Applied[$"sender-{i}"]);
        }

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(before.State), System.Text.Json.JsonSerializer.Serialize(after.State));
    }

    private async Task<CancelCaseResult> CancelWithRetryAsync(string caseId)
    {
        // A call that was in flight to the killed silo fails; the API tells clients to retry, and cancel is idempotent.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await _h.CancelCaseAsync(caseId, reason: "applicant withdrew");
                return result.AlreadyClosed ? result with { Status = CommandStatus.Accepted } : result;
            }
            catch (Exception) when (attempt < 5)
            {
            }
        }
    }

    private async Task<TaskCommandResult> AckWithRetryAsync(string caseId, string taskId, string token)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _h.AckAsync(caseId, taskId, token);
            }
            catch (Exception) when (attempt < 5)
            {
            }
        }
    }

    private static System.Collections.Immutable.ImmutableArray<string> ImmutableArrayOf(params string[] items) => [.. items];
}
