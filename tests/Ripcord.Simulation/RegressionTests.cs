namespace Ripcord.Simulation;

/// <summary>
/// Scenarios the simulation found broken, shrunk by CsCheck, kept as they were found. Each fails without its fix
/// in the machines (unit tests of the same fixes: tests/Ripcord.Grains.Tests/Machines/ProtocolRaceTests.cs) and
/// checks that it still reaches the interleaving it was kept for.
/// </summary>
public sealed class RegressionTests
{
    /// <summary>Cancel Activity of the join leaves the report no route, so it winds down on its own; a force then found no Cancel Case to escalate and the machine threw.</summary>
    [Fact]
    public void ForceCancel_CaseWindingDownAfterCancelActivity_CarriedOut() =>
        Replays(
            new Scenario(1701724980u, [36u, 5575077u, 4u, 189995u, 47u, 211643757u, 407841u, 672395392u, 4065u]),
            "CancelCase(Force, hold 15, grace 0, by alice) => CancelCaseResult { Status = Accepted, AlreadyClosed = False, CaseStatus = ForceCancelling");

    /// <summary>A fenced agent registers a resource with no release action after the registry reported settled: it was orphaned at once and never reported, so the case's counts missed it.</summary>
    [Fact]
    public void LateOrphan_AfterTheRegistrySettled_ReportedAgain() =>
        Replays(
            new Scenario(354u, [3293u, 30248388u, 261496550u, 4u, 403387933u, 1850108u, 8409u, 51129826u, 1u, 165785930u, 43427u, 65375821u, 2081115u, 8137u, 86254u, 6221243u, 12492776u, 4032243u, 2035u, 2736363674u, 41136895u, 140444u, 146880661u, 151310594u, 143680u, 1654355u, 160396u, 156u, 5955u, 9890193u, 27u, 1047241u, 0u]),
            "ReleaseNow = True",
            "ResourcesSettled { Released = 0, Orphaned = 1, Total = 1 }");

    /// <summary>A task's registration was still on its way when its end made the case close the registry: the registry reported settled without it and the case ended with the resource releasing.</summary>
    [Fact]
    public void Registration_OvertakenByTheClose_WaitedForBeforeTheCaseEnds() =>
        Replays(
            new Scenario(37631250u, [17179u, 4739211u, 1467974239u, 24918u, 349253u, 4294967295u, 2131106u, 808779u, 177u, 40572015u, 1u, 16208110u, 32u, 49252u, 6u, 1098588u, 41u, 878595960u, 155u, 27294u, 4294967295u, 47188869u, 102243936u, 0u, 771464u, 1760u, 4294967295u]),
            "registry:c0 <- AddResource { TaskId = b, AgentId = a-2, ResourceId = r-1",
            "ResourcesSettled { Released = 1, Orphaned = 0, Total = 1 }");

    /// <summary>The agent of an earlier attempt acknowledged the cancel of the current one: the ladder stopped, the task stayed cancelling and the case never ended.</summary>
    [Fact]
    public void LateAck_FromAnEarlierAttempt_TheLadderStillFences() =>
        Replays(
            new Scenario(7266u, [231u, 203883u, 1u, 16u, 3715274590u, 24u, 1885u, 351182935u, 693099u, 10494230u, 1u, 3551928u, 5116u, 1346u, 218620449u, 4153u, 83891u, 11479932u, 1528454270u, 7u, 6u, 1u, 11u, 768u, 1340219u, 65327u, 131u, 872268u, 1131u, 98259u, 3790208u, 6894254u, 277058u, 2404137u, 1065917079u, 133397199u, 1137596091u, 7887287u, 135130u, 11562712u, 0u, 25897107u, 692033u, 431100u, 3u, 25769786u, 54690429u, 1704697392u, 1921598879u, 26u, 52182u, 580916272u, 1378473u, 4007u, 336538u, 180u, 27045600u, 7u, 87719u, 6166u]),
            "task:2:c0/b <- AckCancel { LeaseToken = lease-2",
            "case:c0 <- TaskEnded(b, Cancelled)");

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
