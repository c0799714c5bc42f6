namespace Ripcord.Client.Tests.Fakes;

/// <summary>Bodies shaped like API.md's examples.</summary>
public static class Samples
{
    public const string ProcessesJson = """
        [
          {
            "name": "report",
            "nodes": [
              { "id": "generate", "agent": "report-generator", "timeoutSeconds": 600, "onCancel": "summary" },
              { "id": "summary",  "agent": "quick-summary" },
              { "id": "deliver",  "join": "first" }
            ],
            "edges": [ ["generate", "deliver"], ["summary", "deliver"] ],
            "cancel": { "ackTimeoutSeconds": 5, "gracePeriodSeconds": 10, "holdSeconds": 0 }
          }
        ]
        """;

    public static object Summary(string caseId, string status) => new
    {
        caseId,
        process = "report",
        status,
        createdAt = "2026-11-21T05:00:00Z",
        endedAt = status == "running" ? null : "2026-11-21T05:10:00Z",
    };

    public static string CaseJson(string caseId, string status) => $$"""
        {
          "caseId": "{{caseId}}", "process": "report", "status": "{{status}}",
          "createdAt": "2026-11-21T05:00:00Z", "endedAt": null, "output": null,
          "cancel": { "mode": "standard", "requestedBy": "alice", "requestedAt": "2026-11-21T05:01:00Z", "reason": "budget" },
          "tasks": [
            { "taskId": "generate", "node": "generate", "status": "cancelling", "agentId": "agent-7", "attempt": 1,
              "cancel": { "requestedAt": "2026-11-21T05:01:00Z", "ackedAt": null, "escalationLevel": 1, "fenced": false },
              "usage": { "tokens": 1200, "gpuSeconds": 3.5 }, "output": null }
          ],
          "resources": [ { "resourceId": "vm-1", "kind": "vm", "taskId": "generate", "status": "released" } ],
          "history": [ { "at": "2026-11-21T05:01:00Z", "type": "cancel_requested", "actor": "alice", "detail": { "mode": "standard" } } ]
        }
        """;
}
