namespace Ripcord.Silo.Api;

/// <summary>HTTP API limits, bound from <c>Ripcord:Api</c>.</summary>
public sealed class ApiOptions
{
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Largest accepted request body; larger ones get 400 invalid_request. Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;
}
