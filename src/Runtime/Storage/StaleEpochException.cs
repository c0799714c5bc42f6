namespace Ripcord.Runtime.Storage;

/// <summary>A commit came from an activation whose lease has moved on (or whose version is behind): nothing was written.</summary>
public sealed class StaleEpochException : Exception
{
    public StaleEpochException(GrainId grain, long epoch, string detail)
        : base($"Commit for {grain} at epoch {epoch} rejected: {detail}.")
    {
        Grain = grain;
        Epoch = epoch;
    }

    public GrainId Grain { get; }

    public long Epoch { get; }
}
