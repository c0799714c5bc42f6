using CsCheck;

namespace Ripcord.Simulation;

/// <summary>
/// One simulated run: <see cref="Setup"/> picks the cases (how many, which process, which settings) and each of
/// <see cref="Steps"/> picks one thing that happens next (a delivery, a deadline, an agent's or operator's call, a
/// crash...). The same scenario always runs the same way.
/// </summary>
public sealed record Scenario(uint Setup, uint[] Steps)
{
    /// <summary>Scenarios of up to 150 steps; CsCheck shrinks a failing one towards fewer and smaller numbers.</summary>
    public static readonly Gen<Scenario> Gen = CsCheck.Gen.Select(CsCheck.Gen.UInt, CsCheck.Gen.UInt.Array[1, 150], (setup, steps) => new Scenario(setup, steps));

    /// <summary>The scenario as C# for a regression test (whose failure prints the whole trace), and how it ended.</summary>
    public override string ToString() =>
        $"new Scenario({Setup}u, [{string.Join(", ", Steps.Select(s => s + "u"))}])" + Environment.NewLine + World.TraceOf(this)[^1];
}
