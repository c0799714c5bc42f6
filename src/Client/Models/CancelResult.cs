namespace Ripcord.Client.Models;

/// <summary>The answer to a case cancel, confirm or override.</summary>
public sealed record CancelResult
{
    /// <summary>
    /// <see langword="true"/> when the case had already ended (<c>cancelled</c>, <c>completed</c> or <c>failed</c>):
    /// the request was noted in history and nothing else changed.
    /// </summary>
    public bool AlreadyClosed { get; init; }

    /// <summary>The case's status after the request (for example <c>cancelling</c> or <c>cancel_pending</c>), or its final status when already closed.</summary>
    public CaseStatus Status { get; init; }
}
