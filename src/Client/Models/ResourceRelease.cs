namespace Ripcord.Client.Models;

/// <summary>How the case's resource registry releases a resource the agent did not free itself.</summary>
public sealed record ResourceRelease
{
    /// <summary>The release mechanism; <c>webhook</c> is the one the API defines.</summary>
    public string Type { get; init; } = "webhook";

    /// <summary>The URL the registry calls; retried with backoff until it answers 2xx.</summary>
    public required Uri Url { get; init; }

    /// <summary>The HTTP method of the call; <c>DELETE</c> by default.</summary>
    public string Method { get; init; } = "DELETE";
}
