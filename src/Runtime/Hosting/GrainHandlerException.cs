namespace Ripcord.Runtime;

/// <summary>An asked message kept failing in its handler and was dead-lettered.</summary>
public sealed class GrainHandlerException(GrainId grain, string error)
    : Exception($"Grain {grain} could not handle the message: {error}")
{
    public GrainId Grain { get; } = grain;
}
