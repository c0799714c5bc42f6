namespace Ripcord.Client.Models;

/// <summary>The answer to a purge: when and by whom the case's payloads were erased (the first purge's, when repeated).</summary>
public sealed record PurgeResult
{
    /// <summary>When the case was redacted.</summary>
    public DateTimeOffset RedactedAt { get; init; }

    /// <summary>The administrator who purged it, or <c>system</c> when its retention period had already run out.</summary>
    public string RedactedBy { get; init; } = string.Empty;
}
