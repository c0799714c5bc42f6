namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// The in-process demo agents and the simulated cloud, bound from <c>Ripcord:SampleAgents</c>. Off by default; on in
/// Development (appsettings.Development.json).
/// </summary>
public sealed class SampleAgentsOptions
{
    public const string Section = "Ripcord:SampleAgents";

    /// <summary>Runs the sample agents and maps <c>/sim/cloud</c>. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The silo the agents talk to. Default: this silo's own listening address once the server started (a wildcard
    /// host such as <c>0.0.0.0</c> or <c>[::]</c> becomes <c>127.0.0.1</c>).
    /// </summary>
    public string? ServerUrl { get; set; }

    /// <summary>An API key with the <c>agent</c> role. Default in Development: the first configured key with that role.</summary>
    public string? ApiKey { get; set; }

    /// <summary>report-generator: a long, cooperative report writer. Default 120 s.</summary>
    public SampleAgentSettings ReportGenerator { get; set; } = new() { Seconds = 120 };

    /// <summary>quick-summary: the report's onCancel fallback. Default 3 s.</summary>
    public SampleAgentSettings QuickSummary { get; set; } = new() { Seconds = 3 };

    /// <summary>market-researcher: provisions a VM in the simulated cloud while it works. Default 90 s.</summary>
    public SampleAgentSettings MarketResearcher { get; set; } = new() { Seconds = 90 };

    /// <summary>founder-checker: background checks on the founders. Default 60 s.</summary>
    public SampleAgentSettings FounderChecker { get; set; } = new() { Seconds = 60 };

    /// <summary>financial-modeler: ignores cancel signals unless told otherwise. Default 45 s.</summary>
    public FinancialModelerSettings FinancialModeler { get; set; } = new() { Seconds = 45 };

    /// <summary>close-case: consolidates the analyses into an IC brief. Default 5 s.</summary>
    public SampleAgentSettings CloseCase { get; set; } = new() { Seconds = 5 };
}
