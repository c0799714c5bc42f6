namespace Ripcord.Silo.SampleAgents;

/// <summary>Settings of one sample agent (<c>Ripcord:SampleAgents:&lt;Agent&gt;</c>).</summary>
public class SampleAgentSettings
{
    /// <summary>How long the agent works on one task, in seconds (fractions allowed).</summary>
    public double Seconds { get; set; }

    /// <summary>The work time, never negative.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Math.Max(0, Seconds));
}
