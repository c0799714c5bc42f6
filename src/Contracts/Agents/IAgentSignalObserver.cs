namespace Ripcord.Contracts.Agents;

/// <summary>A silo's receiver of cancel signals for the agent streams it holds.</summary>
[Alias("ripcord.agent-signal-observer")]
public interface IAgentSignalObserver : IGrainObserver
{
    [Alias("signal")]
    [OneWay]
    Task Signal(CancelSignalNotice signal);
}
