using System.Globalization;
using CsCheck;

namespace Ripcord.Simulation;

/// <summary>
/// Random scenarios of the whole cancellation protocol, every invariant checked after every step. CI runs a fixed
/// budget of fixed scenarios (scenario i comes from stream i of one seed); <c>RIPCORD_SIM_SEEDS=N</c> runs N scenarios
/// from a fresh seed for a longer hunt. The first failing scenario is shrunk by CsCheck, which prints its seed and the
/// smaller scenario: both replay exactly.
/// </summary>
public sealed class SimulationTests
{
    private const long Budget = 10_000;

    private const ulong CiSeed = 20_261_201;

    /// <summary>How many smaller scenarios CsCheck tries when it shrinks a failure.</summary>
    private const long ShrinkTries = 20_000;

    [Fact]
    public void RandomScenarios_EveryInvariantHoldsAfterEveryStep()
    {
        var hunt = Environment.GetEnvironmentVariable("RIPCORD_SIM_SEEDS");
        var count = hunt is null ? Budget : long.Parse(hunt, CultureInfo.InvariantCulture);
        var seed = hunt is null ? CiSeed : (ulong)Random.Shared.NextInt64();
        var first = long.MaxValue;
        Parallel.For(0, count, (i, loop) =>
        {
            var pcg = new PCG((uint)i, seed);
            try
            {
                World.Run(Scenario.Gen.Generate(pcg, null!, out _));
            }
            catch (InvariantViolation)
            {
                InterlockedMin(ref first, i);
                loop.Stop();
            }
        });

        if (first != long.MaxValue)
        {
            // Replays the failure from its seed, then lets CsCheck look for a smaller one; its exception carries both.
            Scenario.Gen.Sample(World.Run, seed: new PCG((uint)first, seed).ToString(), iter: ShrinkTries);
            Assert.Fail($"scenario {first} of seed {seed} failed but did not fail again when replayed");
        }
    }

    private static void InterlockedMin(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
