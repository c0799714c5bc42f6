using System.Globalization;
using CsCheck;

namespace Ripcord.Simulation;

/// <summary>
/// Random scenarios of the whole cancellation protocol, every invariant checked after every step. CI runs a fixed
/// budget from a fixed seed; <c>RIPCORD_SIM_SEEDS=N</c> runs N scenarios from a fresh seed for a longer hunt. A
/// failure prints its seed and its shrunk scenario, which replays exactly.
/// </summary>
public sealed class SimulationTests
{
    private const long Budget = 10_000;

    /// <summary>The fixed seed of the CI budget: the same scenarios on every run.</summary>
    private const string CiSeed = "0N0XIzNsQ0O2";

    [Fact]
    public void RandomScenarios_EveryInvariantHoldsAfterEveryStep()
    {
        var hunt = Environment.GetEnvironmentVariable("RIPCORD_SIM_SEEDS");
        var iterations = hunt is null ? Budget : long.Parse(hunt, CultureInfo.InvariantCulture);
        Scenario.Gen.Sample(World.Run, seed: hunt is null ? CiSeed : null, iter: iterations);
    }
}
