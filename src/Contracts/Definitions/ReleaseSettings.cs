namespace Ripcord.Contracts;

/// <summary>
/// How a case's resource registry retries release actions: the optional <c>release</c> block of a process
/// definition. Attempt n waits <c>min(BackoffSeconds * 2^(n-1), MaxBackoffSeconds)</c> after failure n.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.definitions.release-settings")]
public sealed record ReleaseSettings
{
    public static readonly ReleaseSettings Default = new();

    /// <summary>Release attempts before a resource is declared orphaned. Default 5.</summary>
    [Id(0)]
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Delay after the first failed attempt, doubled after each further failure. Default 1 s.</summary>
    [Id(1)]
    public double BackoffSeconds { get; init; } = 1;

    /// <summary>Upper bound of the delay between attempts. Default 60 s.</summary>
    [Id(2)]
    public double MaxBackoffSeconds { get; init; } = 60;

    /// <summary>An attempt with no answer after this long counts as failed. Default 30 s.</summary>
    [Id(3)]
    public double AttemptTimeoutSeconds { get; init; } = 30;

    public TimeSpan BackoffAfter(int failedAttempts)
    {
        var seconds = BackoffSeconds * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxBackoffSeconds));
    }

    public IEnumerable<string> Validate()
    {
        if (MaxAttempts < 1)
        {
            yield return $"release.maxAttempts must be at least 1, not {MaxAttempts}";
        }

        if (!(BackoffSeconds >= 0) || !(MaxBackoffSeconds >= BackoffSeconds) || double.IsInfinity(MaxBackoffSeconds))
        {
            yield return $"release.backoffSeconds ({BackoffSeconds}) and maxBackoffSeconds ({MaxBackoffSeconds}) must satisfy 0 <= backoff <= max";
        }

        if (!(AttemptTimeoutSeconds > 0) || double.IsInfinity(AttemptTimeoutSeconds))
        {
            yield return $"release.attemptTimeoutSeconds must be positive, not {AttemptTimeoutSeconds}";
        }
    }
}
