namespace Ripcord.Client;

/// <summary>Options of <see cref="CaseHandle.PurgeAsync"/>.</summary>
public sealed class PurgeOptions
{
    /// <summary>Why the case's payloads are erased now; recorded in its history. Default none (the server records "purged by an administrator").</summary>
    public string? Reason { get; set; }
}
