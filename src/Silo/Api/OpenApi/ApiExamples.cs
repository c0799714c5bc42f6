using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Contracts.Tasks;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// The examples of the OpenAPI document, from the seed's report scenario: a case of <c>report</c> on GPU prices
/// whose generator is cancelled for a quick summary. Each is a value of the body's own type.
/// </summary>
internal static class ApiExamples
{
    private const string CaseId = "c-1";
    private const string LeaseToken = "l-7f3a9c";
    private static readonly DateTimeOffset Deadline = new(2026, 11, 21, 6, 0, 10, TimeSpan.Zero);

    public static readonly ProcessDefinition Report = new()
    {
        Name = "report",
        Nodes =
        [
            new NodeDefinition { Id = "generate", Agent = "report-generator", TimeoutSeconds = 600, OnCancel = "summary", CheckpointWaitSeconds = 2 },
            new NodeDefinition { Id = "summary", Agent = "quick-summary" },
            new NodeDefinition { Id = "deliver", Join = "first" },
        ],
        Edges = [["generate", "deliver"], ["summary", "deliver"]],
        Cancel = new CancelSettings { AckTimeoutSeconds = 5, GracePeriodSeconds = 10, HoldSeconds = 0 },
    };

    public static readonly StartCaseRequest StartCase = new() { Process = "report", CaseId = CaseId, Input = Json(new { topic = "GPU prices" }), Admins = ["alice"] };

    public static readonly CaseStarted Started = new(CaseId, CaseStatus.Running);

    public static readonly CancelCaseRequest CancelCase = new() { Mode = CancelMode.Standard, Reason = "over budget" };

    public static readonly CaseCancelAnswer Cancelling = new(false, CaseStatus.Cancelling);

    public static readonly ReasonRequest CancelTask = new() { Reason = "get a quick summary instead" };

    public static readonly CancelTasksRequest CancelTasks = new() { TaskIds = ["generate"], Reason = "get a quick summary instead" };

    public static readonly RateOutputRequest Rating = new() { Rating = 4, Comment = "the summary was enough" };

    public static readonly ReasonRequest Purge = new() { Reason = "the applicant asked for erasure" };

    public static readonly CaseRedacted Redacted = new(Deadline.AddDays(30), "root");

    public static readonly PollRequest Poll = new() { Agents = ["report-generator"], WaitSeconds = 20 };

    public static readonly TaskGrant Grant = new(CaseId, "generate", "report-generator", Json(new { topic = "GPU prices" }), null, LeaseToken, 5, 1);

    public static readonly HeartbeatRequest Heartbeat = new()
    {
        LeaseToken = LeaseToken,
        Progress = Json(0.4),
        Usage = new Usage { Tokens = 1200, GpuSeconds = 3.5 },
        Estimate = new Usage { Tokens = 5000, GpuSeconds = 14 },
    };

    public static readonly HeartbeatAnswer CancelRequested = new(new CancelSignal(CancelMode.Standard, "over budget", Deadline));

    public static readonly CompleteRequest Complete = new() { LeaseToken = LeaseToken, Output = Json(new { report = "GPU prices rose 12% ..." }) };

    public static readonly CancelAckRequest CancelAck = new()
    {
        LeaseToken = LeaseToken,
        Checkpoint = Json(new { topic = "GPU prices", sectionsDone = 3, draft = "..." }),
        Snapshot = Json(new { lastPrompt = "...", stoppedAt = Deadline.AddSeconds(-8) }),
    };

    public static readonly FailRequest Fail = new() { LeaseToken = LeaseToken, Error = "model endpoint returned 503 three times" };

    public static readonly RegisterResourceRequest Resource = new()
    {
        LeaseToken = LeaseToken,
        ResourceId = "vm-1",
        Kind = "vm",
        Release = new ResourceReleaseAction { Type = ResourceReleaseAction.WebhookType, Url = "http://cloud.internal/vms/vm-1", Method = "DELETE" },
    };

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value, ApiJson.Options);
}
