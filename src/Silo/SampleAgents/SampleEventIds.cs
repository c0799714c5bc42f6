namespace Ripcord.Silo.SampleAgents;

/// <summary>Logging event ids of the sample agents and the simulated cloud (4300-4349 of the silo's range).</summary>
internal static class SampleEventIds
{
    public const int AgentsStarted = 4300;
    public const int AgentsStopped = 4301;
    public const int VmProvisioned = 4310;
    public const int VmReleasedByAgent = 4311;
    public const int VmRegistrationFailed = 4312;
    public const int CancelIgnored = 4320;
    public const int LateOutputRejected = 4321;
    public const int LateOutputAccepted = 4322;
}
