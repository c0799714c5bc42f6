namespace Ripcord.Silo.SampleAgents;

/// <summary>Settings of the financial-modeler sample agent (<c>Ripcord:SampleAgents:FinancialModeler</c>).</summary>
public sealed class FinancialModelerSettings : SampleAgentSettings
{
    /// <summary>
    /// Ignore cancel signals, like the seed's modeler: keep running and deliver the output at the end, which the server
    /// rejects as late once the task was fenced. Default true.
    /// </summary>
    public bool IgnoreCancel { get; set; } = true;
}
