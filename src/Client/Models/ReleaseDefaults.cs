namespace Ripcord.Client.Models;

/// <summary>How a case's resource registry retries release webhooks. Unset values keep the server's default.</summary>
public sealed record ReleaseDefaults
{
    /// <summary>Attempts before a resource is declared orphaned.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Delay after the first failed attempt, doubled after each further failure.</summary>
    public double? BackoffSeconds { get; init; }

    /// <summary>Upper bound of the delay between attempts.</summary>
    public double? MaxBackoffSeconds { get; init; }

    /// <summary>An attempt with no answer after this long counts as failed.</summary>
    public double? AttemptTimeoutSeconds { get; init; }
}
