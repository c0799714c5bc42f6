using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Silo.Api;

// Request bodies of API.md. Required fields use `required`, so a body without them is a 400 naming the field.

public sealed record StartCaseRequest
{
    public required string Process { get; init; }

    public string? CaseId { get; init; }

    public JsonElement? Input { get; init; }

    public string[]? Admins { get; init; }

    public CancelOverrides? Cancel { get; init; }
}

public sealed record CancelCaseRequest
{
    public CancelMode Mode { get; init; } = CancelMode.Standard;

    public string? Reason { get; init; }

    public double? GracePeriodSeconds { get; init; }

    public double? HoldSeconds { get; init; }
}

public sealed record ReasonRequest
{
    public string? Reason { get; init; }
}

public sealed record CancelTasksRequest
{
    public required string[] TaskIds { get; init; }

    public string? Reason { get; init; }
}

public sealed record PollRequest
{
    public required string[] Agents { get; init; }

    public double? WaitSeconds { get; init; }

    /// <summary>Extension: a URL Ripcord POSTs to when this agent ignores a cancel (the escalation's kill hook).</summary>
    public string? KillHookUrl { get; init; }
}

public sealed record HeartbeatRequest
{
    public required string LeaseToken { get; init; }

    public JsonElement? Progress { get; init; }

    public Usage? Usage { get; init; }

    public Usage? Estimate { get; init; }

    /// <summary>State to resume from, saved with the task (the latest wins); a fallback and a retried attempt receive it.</summary>
    public JsonElement? Checkpoint { get; init; }
}

public sealed record CompleteRequest
{
    public required string LeaseToken { get; init; }

    public JsonElement? Output { get; init; }
}

public sealed record CancelAckRequest
{
    public required string LeaseToken { get; init; }

    public JsonElement? Checkpoint { get; init; }

    public JsonElement? Snapshot { get; init; }

    public Usage? Usage { get; init; }
}

public sealed record FailRequest
{
    public required string LeaseToken { get; init; }

    public string? Error { get; init; }
}

public sealed record RegisterResourceRequest
{
    public required string LeaseToken { get; init; }

    public required string ResourceId { get; init; }

    public string? Kind { get; init; }

    public ResourceReleaseAction? Release { get; init; }
}

public sealed record LeaseRequest
{
    public required string LeaseToken { get; init; }
}

public sealed record RateOutputRequest
{
    public required int Rating { get; init; }

    public string? Comment { get; init; }
}
