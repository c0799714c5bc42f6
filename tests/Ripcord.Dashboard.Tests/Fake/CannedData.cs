using System.Text.Json.Nodes;

namespace Ripcord.Dashboard.Tests.Fake;

/// <summary>API.md-shaped bodies for the fake API: the two shipped processes, cases at interesting moments, metrics, cluster.</summary>
public static class CannedData
{
    public static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-3);

    public static string At(double seconds) => Start.AddSeconds(seconds).ToString("O");

    public static JsonArray Processes() => (JsonArray)JsonNode.Parse("""
        [
          {
            "name": "report",
            "nodes": [
              { "id": "generate", "agent": "report-generator", "timeoutSeconds": 600, "onCancel": "summary" },
              { "id": "summary", "agent": "quick-summary" },
              { "id": "deliver", "join": "first" }
            ],
            "edges": [ ["generate", "deliver"], ["summary", "deliver"] ],
            "cancel": { "ackTimeoutSeconds": 5, "gracePeriodSeconds": 10, "holdSeconds": 0 }
          },
          {
            "name": "investment",
            "nodes": [
              { "id": "market", "agent": "market-researcher" },
              { "id": "founders", "agent": "founder-checker" },
              { "id": "financials", "agent": "financial-modeler" },
              { "id": "analyses", "join": "all" },
              { "id": "close-case", "agent": "close-case" }
            ],
            "edges": [ ["market", "analyses"], ["founders", "analyses"], ["financials", "analyses"], ["analyses", "close-case"] ],
            "cancel": { "ackTimeoutSeconds": 5, "gracePeriodSeconds": 10, "holdSeconds": 30 }
          }
        ]
        """)!;

    /// <summary>A running <c>report</c> case: the generator holds a lease and a VM.</summary>
    public static JsonObject RunningReport(string caseId) => (JsonObject)JsonNode.Parse($$"""
        {
          "caseId": "{{caseId}}", "process": "report", "status": "running",
          "createdAt": "{{At(0)}}", "endedAt": null, "output": null, "cancel": null,
          "tasks": [
            { "taskId": "generate", "node": "generate", "status": "running", "agent": "report-generator", "agentId": "agent-7", "attempt": 1,
              "lastHeartbeatAt": "{{DateTimeOffset.UtcNow.AddSeconds(-2):O}}",
              "cancel": null, "usage": { "tokens": 12400, "gpuSeconds": 35.5 }, "estimate": { "tokens": 60000, "gpuSeconds": 180 }, "output": null },
            { "taskId": "summary", "node": "summary", "status": "pending", "agent": "quick-summary", "attempt": 0, "cancel": null, "usage": null, "output": null },
            { "taskId": "deliver", "node": "deliver", "status": "pending", "agent": null, "attempt": 0, "cancel": null, "usage": null, "output": null }
          ],
          "resources": [ { "resourceId": "gpu-lease-1", "kind": "gpu", "taskId": "generate", "status": "held", "attempts": 0 } ],
          "history": [
            { "sequence": 1, "at": "{{At(0)}}", "caseId": "{{caseId}}", "type": "case_started", "actor": "alice", "detail": { "input": { "topic": "Q3 churn" } } },
            { "sequence": 2, "at": "{{At(0.2)}}", "caseId": "{{caseId}}", "type": "task_started", "actor": "agent-7", "taskId": "generate" },
            { "sequence": 3, "at": "{{At(1.5)}}", "caseId": "{{caseId}}", "type": "resource_registered", "actor": "agent-7", "taskId": "generate", "detail": { "resourceId": "gpu-lease-1", "kind": "gpu" } }
          ],
          "measures": { "tasks": [], "timeToFullTerminationSeconds": null, "tokensSaved": 0, "gpuSecondsSaved": 0, "resourcesReleased": 0, "resourcesOrphaned": 0, "falseCancellations": 0, "refusedCancels": 0 }
        }
        """)!;

    /// <summary>The same case after the generator was cancelled and the quick summary delivered (Cancel Activity).</summary>
    public static JsonObject ReportAfterCancelActivity(string caseId, string actor, string reason)
    {
        var c = RunningReport(caseId);
        c["status"] = "completed";
        c["endedAt"] = At(40);
        c["output"] = JsonNode.Parse("""{ "summary": "Churn rose 2% in Q3, driven by price changes.", "source": "quick-summary" }""");
        var tasks = c["tasks"]!.AsArray();
        tasks[0]!["status"] = "cancelled";
        tasks[0]!["cancel"] = JsonNode.Parse($$"""{ "mode": "standard", "reason": "{{reason}}", "requestedBy": "{{actor}}", "requestedAt": "{{At(30)}}", "signalledAt": "{{At(30.01)}}", "deliveredAt": "{{At(30.2)}}", "ackedAt": "{{At(30.9)}}", "escalationLevel": 0, "fenced": false }""");
        tasks[1]!["status"] = "completed";
        tasks[1]!["agentId"] = "agent-3";
        tasks[1]!["attempt"] = 1;
        tasks[1]!["usage"] = JsonNode.Parse("""{ "tokens": 900, "gpuSeconds": 2.1 }""");
        tasks[2]!["status"] = "completed";
        c["resources"]![0]!["status"] = "released";
        c["resources"]![0]!["attempts"] = 1;
        var history = c["history"]!.AsArray();
        history.Add(JsonNode.Parse($$"""{ "sequence": 4, "at": "{{At(30)}}", "caseId": "{{caseId}}", "type": "task_cancel_requested", "actor": "{{actor}}", "taskId": "generate", "reason": "{{reason}}" }"""));
        history.Add(JsonNode.Parse($$"""{ "sequence": 5, "at": "{{At(30.9)}}", "caseId": "{{caseId}}", "type": "task_cancel_acked", "actor": "agent-7", "taskId": "generate" }"""));
        history.Add(JsonNode.Parse($$"""{ "sequence": 6, "at": "{{At(31)}}", "caseId": "{{caseId}}", "type": "resource_released", "actor": "system", "taskId": "generate", "detail": { "resourceId": "gpu-lease-1" } }"""));
        history.Add(JsonNode.Parse($$"""{ "sequence": 7, "at": "{{At(31)}}", "caseId": "{{caseId}}", "type": "fallback_started", "actor": "system", "taskId": "summary" }"""));
        history.Add(JsonNode.Parse($$"""{ "sequence": 8, "at": "{{At(40)}}", "caseId": "{{caseId}}", "type": "case_completed", "actor": "system" }"""));
        c["measures"] = JsonNode.Parse("""{ "tasks": [ { "taskId": "generate", "signalLatencySeconds": 0.01, "ackLatencySeconds": 0.9, "fenced": false, "tokensSaved": 47600, "gpuSecondsSaved": 144.5 } ], "timeToFullTerminationSeconds": null, "tokensSaved": 47600, "gpuSecondsSaved": 144.5, "resourcesReleased": 1, "resourcesOrphaned": 0, "falseCancellations": 0, "refusedCancels": 0 }""");
        return c;
    }

    /// <summary>An <c>investment</c> case being force-cancelled: one agent escalated and fenced, its VM released.</summary>
    public static JsonObject CancellingInvestment(string caseId) => (JsonObject)JsonNode.Parse($$"""
        {
          "caseId": "{{caseId}}", "process": "investment", "status": "cancelled",
          "createdAt": "{{At(0)}}", "endedAt": "{{At(95)}}", "output": null,
          "cancel": { "mode": "standard", "requestedBy": "alice", "requestedAt": "{{At(80)}}", "reason": "Application withdrawn by the startup", "executedAt": "{{At(80)}}" },
          "tasks": [
            { "taskId": "market", "node": "market", "status": "cancelled", "agent": "market-researcher", "agentId": "agent-1", "attempt": 1,
              "lastHeartbeatAt": "{{At(80.5)}}",
              "cancel": { "mode": "standard", "requestedBy": "alice", "requestedAt": "{{At(80)}}", "signalledAt": "{{At(80.01)}}", "deliveredAt": "{{At(80.3)}}", "ackedAt": "{{At(80.6)}}", "escalationLevel": 0, "fenced": false },
              "usage": { "tokens": 30100, "gpuSeconds": 120 }, "estimate": { "tokens": 90000, "gpuSeconds": 400 } },
            { "taskId": "founders", "node": "founders", "status": "cancelled", "agent": "founder-checker", "agentId": "agent-2", "attempt": 1,
              "lastHeartbeatAt": "{{At(80.2)}}",
              "cancel": { "mode": "standard", "requestedBy": "alice", "requestedAt": "{{At(80)}}", "signalledAt": "{{At(80.01)}}", "deliveredAt": "{{At(80.1)}}", "ackedAt": "{{At(80.4)}}", "escalationLevel": 0, "fenced": false },
              "usage": { "tokens": 8000, "gpuSeconds": 10 } },
            { "taskId": "financials", "node": "financials", "status": "cancelled", "agent": "financial-modeler", "agentId": "agent-9", "attempt": 1,
              "lastHeartbeatAt": "{{At(79)}}",
              "cancel": { "mode": "standard", "requestedBy": "alice", "requestedAt": "{{At(80)}}", "signalledAt": "{{At(80.01)}}", "deliveredAt": null, "ackedAt": null, "escalationLevel": 2, "fenced": true },
              "usage": { "tokens": 51000, "gpuSeconds": 300 }, "estimate": { "tokens": 150000, "gpuSeconds": 900 } },
            { "taskId": "analyses", "node": "analyses", "status": "skipped", "agent": null, "attempt": 0 },
            { "taskId": "close-case", "node": "close-case", "status": "skipped", "agent": "close-case", "attempt": 0 }
          ],
          "resources": [
            { "resourceId": "vm-market-1", "kind": "vm", "taskId": "market", "status": "released", "attempts": 1 },
            { "resourceId": "vm-model-7", "kind": "vm", "taskId": "financials", "status": "released", "attempts": 2 },
            { "resourceId": "crm-entry-42", "kind": "crm", "taskId": "founders", "status": "orphaned", "attempts": 5, "lastError": "HTTP 503 from crm.example" }
          ],
          "history": [
            { "sequence": 1, "at": "{{At(0)}}", "caseId": "{{caseId}}", "type": "case_started", "actor": "alice" },
            { "sequence": 2, "at": "{{At(80)}}", "caseId": "{{caseId}}", "type": "cancel_requested", "actor": "alice", "reason": "Application withdrawn by the startup", "detail": { "mode": "standard" } },
            { "sequence": 3, "at": "{{At(80.4)}}", "caseId": "{{caseId}}", "type": "task_cancel_acked", "actor": "agent-2", "taskId": "founders" },
            { "sequence": 4, "at": "{{At(80.6)}}", "caseId": "{{caseId}}", "type": "task_cancel_acked", "actor": "agent-1", "taskId": "market" },
            { "sequence": 5, "at": "{{At(85)}}", "caseId": "{{caseId}}", "type": "cancel_reemitted", "actor": "system", "taskId": "financials", "detail": { "escalationLevel": 1 } },
            { "sequence": 6, "at": "{{At(90)}}", "caseId": "{{caseId}}", "type": "task_fenced", "actor": "system", "taskId": "financials", "reason": "no acknowledgement after 2 ack timeouts", "detail": { "escalationLevel": 2 } },
            { "sequence": 7, "at": "{{At(90.3)}}", "caseId": "{{caseId}}", "type": "resource_released", "actor": "system", "taskId": "financials", "detail": { "resourceId": "vm-model-7" } },
            { "sequence": 8, "at": "{{At(95)}}", "caseId": "{{caseId}}", "type": "resource_orphaned", "actor": "system", "taskId": "founders", "detail": { "resourceId": "crm-entry-42", "attempts": 5 } },
            { "sequence": 9, "at": "{{At(95)}}", "caseId": "{{caseId}}", "type": "case_cancelled", "actor": "system" }
          ],
          "measures": {
            "tasks": [
              { "taskId": "market", "signalLatencySeconds": 0.01, "ackLatencySeconds": 0.6, "fenced": false },
              { "taskId": "founders", "signalLatencySeconds": 0.01, "ackLatencySeconds": 0.4, "fenced": false },
              { "taskId": "financials", "signalLatencySeconds": 0.01, "ackLatencySeconds": null, "fenced": true }
            ],
            "timeToFullTerminationSeconds": 15, "tokensSaved": 158900, "gpuSecondsSaved": 870, "resourcesReleased": 2, "resourcesOrphaned": 1, "falseCancellations": 0, "refusedCancels": 0
          }
        }
        """)!;

    /// <summary>An <c>investment</c> case in a confirmation hold.</summary>
    public static JsonObject HeldInvestment(string caseId)
    {
        var c = CancellingInvestment(caseId);
        c["status"] = "cancel_pending";
        c["endedAt"] = null;
        c["cancel"] = JsonNode.Parse($$"""{ "mode": "standard", "requestedBy": "alice", "requestedAt": "{{DateTimeOffset.UtcNow:O}}", "reason": "Withdrawal email", "holdUntil": "{{DateTimeOffset.UtcNow.AddSeconds(30):O}}" }""");
        foreach (var task in c["tasks"]!.AsArray())
        {
            task!["cancel"] = null;
            var running = task["agent"] is not null && (string?)task["taskId"] != "close-case";
            task["status"] = running ? "running" : "pending";
            task["lastHeartbeatAt"] = running ? DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O") : null;
        }

        foreach (var resource in c["resources"]!.AsArray())
        {
            resource!["status"] = "held";
            resource["attempts"] = 0;
            resource["lastError"] = null;
        }

        c["history"] = new JsonArray(
            JsonNode.Parse($$"""{ "sequence": 1, "at": "{{At(0)}}", "caseId": "{{caseId}}", "type": "case_started", "actor": "alice" }"""),
            JsonNode.Parse($$"""{ "sequence": 2, "at": "{{DateTimeOffset.UtcNow:O}}", "caseId": "{{caseId}}", "type": "cancel_held", "actor": "alice", "reason": "Withdrawal email", "detail": { "holdSeconds": 30 } }"""));
        c["measures"] = null;
        return c;
    }

    /// <summary>An <c>investment</c> case with its three analyses running.</summary>
    public static JsonObject RunningInvestment(string caseId)
    {
        var c = HeldInvestment(caseId);
        c["status"] = "running";
        c["cancel"] = null;
        c["history"]!.AsArray().RemoveAt(1);
        return c;
    }

    public static JsonObject Metrics(int sample) => (JsonObject)JsonNode.Parse($$"""
        {
          "at": "{{DateTimeOffset.UtcNow:O}}",
          "cancelSignalLatency": { "p50": {{0.012 + (sample * 0.002)}}, "p99": {{0.21 + (sample * 0.03)}}, "count": {{40 + sample}} },
          "cancelAckLatency": { "p50": 0.7, "p99": 4.8, "count": {{38 + sample}} },
          "timeToFullTermination": { "mean": {{2.4 + (sample * 0.3)}}, "p50": 1.9, "p99": {{9.5 + sample}}, "count": {{12 + sample}} },
          "computeSaved": { "tokens": {{1200000 + (sample * 48000)}}, "gpuSeconds": {{3400.5 + (sample * 140)}}, "cancellations": {{14 + sample}} },
          "orphanedResources": { "count": {{1 + (sample / 2)}}, "released": {{61 + sample}}, "rate": 0.016 },
          "falseCancellations": { "count": 2, "holds": 9, "rate": 0.143 },
          "refusedCancels": 3,
          "escalations": { "reemitted": 6, "fenced": 2, "alerts": 1 },
          "casesByStatus": { "running": {{4 + sample}}, "cancel_pending": 1, "cancelling": {{sample % 2}}, "force_cancelling": 0, "cancelled": 17, "completed": 42, "failed": 2 }
        }
        """)!;

    /// <summary>
    /// <c>GET /api/v1/cluster</c> as the silo serves it from Orleans' membership: three silos, one of them dead; the
    /// answering silo (<c>self</c>) counts its own agent streams only, and a silo that is not active reports no
    /// activations. <c>leasesHeld</c> repeats <c>activations</c> for older readers.
    /// </summary>
    public static JsonObject Cluster() => (JsonObject)JsonNode.Parse($$"""
        {
          "at": "{{DateTimeOffset.UtcNow:O}}",
          "self": "silo-a1",
          "silos": [
            { "siloId": "silo-a1", "address": "10.0.0.11:11111", "status": "active", "self": true, "startedAt": "{{At(-3600)}}", "lastHeartbeatAt": "{{DateTimeOffset.UtcNow.AddSeconds(-1):O}}", "activations": 41, "leasesHeld": 41, "agentStreams": 2 },
            { "siloId": "silo-b2", "address": "10.0.0.12:11111", "status": "active", "self": false, "startedAt": "{{At(-1800)}}", "lastHeartbeatAt": "{{DateTimeOffset.UtcNow.AddSeconds(-2):O}}", "activations": 37, "leasesHeld": 37, "agentStreams": null },
            { "siloId": "silo-c3", "address": "10.0.0.13:11111", "status": "dead", "self": false, "startedAt": "{{At(-7200)}}", "lastHeartbeatAt": "{{DateTimeOffset.UtcNow.AddSeconds(-95):O}}", "activations": null, "leasesHeld": 0, "agentStreams": null }
          ]
        }
        """)!;

    public static JsonObject Summary(JsonObject fullCase) => new()
    {
        ["caseId"] = fullCase["caseId"]!.DeepClone(),
        ["process"] = fullCase["process"]!.DeepClone(),
        ["status"] = fullCase["status"]!.DeepClone(),
        ["createdAt"] = fullCase["createdAt"]?.DeepClone(),
        ["endedAt"] = fullCase["endedAt"]?.DeepClone(),
    };
}
