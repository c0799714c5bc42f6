namespace Ripcord.Silo.Api;

/// <summary>HTTP API limits, bound from <c>Ripcord:Api</c>.</summary>
public sealed class ApiOptions
{
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    public const int DefaultMaxCheckpointBytes = 256 * 1024;

    /// <summary>Largest accepted request body; larger ones get 400 invalid_request. Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// Largest checkpoint an agent may save (on a heartbeat or with its cancel acknowledgement), in bytes of JSON; a
    /// larger one gets 400 checkpoint_too_large. It is kept in the task's state, so keep it small. Default 256 KiB.
    /// </summary>
    public int MaxCheckpointBytes { get; set; } = DefaultMaxCheckpointBytes;
}
