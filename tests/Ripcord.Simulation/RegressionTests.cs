namespace Ripcord.Simulation;

/// <summary>
/// Scenarios the simulation found broken, shrunk by CsCheck, kept as they were found. Each fails without its fix
/// in the machines (unit tests of the same fixes: tests/Ripcord.Grains.Tests/Machines/ProtocolRaceTests.cs) and
/// checks that it still reaches the interleaving it was kept for.
/// </summary>
public sealed class RegressionTests
{
    /// <summary>Cancel Activity of the closing task and of the fallback leaves the pipeline no route, so it winds down on its own; a force then found no Cancel Case to escalate and the machine threw.</summary>
    [Fact]
    public void ForceCancel_CaseWindingDownAfterCancelActivity_CarriedOut() =>
        Replays(
            new Scenario(55169224u, [11308638u, 131247974u, 553294745u, 3913878u, 783u, 370u]),
            "CancelActivity([finish, rescue], by alice) => CancelActivityResult { Status = Accepted",
            "CancelCase(Force, hold 0, grace 30, by bob) => CancelCaseResult { Status = Accepted, AlreadyClosed = False, CaseStatus = ForceCancelling");

    /// <summary>A fenced agent registers a resource with no release action after the registry reported settled: it was orphaned at once and never reported, so the case's counts missed it.</summary>
    [Fact]
    public void LateOrphan_AfterTheRegistrySettled_ReportedAgain() =>
        Replays(
            new Scenario(16812u, [8227410u, 2843800u, 27334u, 7665u, 92368u, 2031591976u, 118398u, 5609738u, 1253747u, 368265u, 2037868u, 135473u, 1u, 5957u, 7u, 32754087u, 0u, 1101039u, 1900619u, 305838u, 0u, 382209u, 546829u, 3286851471u, 83u, 3304594u, 298384u, 38150u, 1877387u, 716u, 100037u, 7163395u, 15645893u, 252249564u]),
            "ReleaseNow = True",
            "ResourcesSettled { Released = 0, Orphaned = 1, Total = 1, WithoutClose = True }");

    /// <summary>A task's registration was still on its way when its end made the case close the registry: the registry reported settled without it and the case ended with the resource releasing.</summary>
    [Fact]
    public void Registration_OvertakenByTheClose_WaitedForBeforeTheCaseEnds() =>
        Replays(
            new Scenario(2322855u, [354187u, 3978u, 1790235u, 1u, 2255u, 847u, 1398u, 1502586u, 3821u, 2389648293u, 4999908u, 203423738u, 125u, 13613151u, 21586144u, 4047u, 0u, 373u, 804u, 48503506u]),
            "registry:c0 <- AddResource { TaskId = market, AgentId = a-2, ResourceId = r-1",
            "ResourcesSettled { Released = 1, Orphaned = 0, Total = 1, WithoutClose = False }");

    /// <summary>The agent of an earlier attempt acknowledged the cancel of the current one: the ladder stopped, the task stayed cancelling and the case never ended.</summary>
    [Fact]
    public void LateAck_FromAnEarlierAttempt_TheLadderStillFences() =>
        Replays(
            new Scenario(22106475u, [741821u, 1u, 1070211u, 14u, 28966u, 552284u, 2380466u, 54311u, 20206u, 16u, 60u, 489008809u, 1146u, 291u, 449u, 931205602u, 5949368u, 1057110360u, 0u, 14371u, 419659u, 201689u, 312u, 170685u, 3366825u, 4064712u, 3777137u, 1201893u, 143974148u, 71u, 385684706u, 291223u, 991688u, 23908913u, 55u, 4294967295u, 37u, 934005u, 887754389u, 2u, 222788277u, 851u, 114772483u, 254u, 51u, 779452599u, 987287776u, 32611367u, 82584u, 3u]),
            "task:2:c0/financials <- AckCancel { LeaseToken = lease-1",
            "case:c0 <- TaskEnded(financials, Cancelled)");

    private static void Replays(Scenario scenario, params string[] reached)
    {
        var trace = World.TraceOf(scenario);
        var report = string.Join(Environment.NewLine, trace);
        Assert.False(trace.Any(line => line.StartsWith("VIOLATION", StringComparison.Ordinal)), report);
        foreach (var line in reached)
        {
            Assert.True(trace.Any(l => l.Contains(line, StringComparison.Ordinal)), $"the scenario no longer reaches \"{line}\":{Environment.NewLine}{report}");
        }
    }
}
