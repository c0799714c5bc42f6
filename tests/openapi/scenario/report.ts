// The seed's report scenario, driven through the client generated from the silo's OpenAPI document: start a case,
// an agent claims the generator, the client cancels it, the agent acknowledges with a checkpoint, and the quick
// summary fallback completes the case from it. Run by tests/Ripcord.Silo.Tests/OpenApi/TypeScriptClientTests.cs
// with RIPCORD_URL and one API key per role; prints the case id when the case has completed.
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/ripcord.js";
import { firstEvent, readEvents } from "./events.js";

type TaskGrant = components["schemas"]["TaskGrant"];
type SignalEvent = paths["/api/v1/agents/{agentId}/signals"]["get"]["responses"][200]["content"]["text/event-stream"];
type HistoryStreamEvent = paths["/api/v1/cases/{caseId}/events"]["get"]["responses"][200]["content"]["text/event-stream"];

const baseUrl = setting("RIPCORD_URL");
const clientFor = (key: string) => createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });
const admin = clientFor(setting("RIPCORD_ADMIN_KEY"));
const operator = clientFor(setting("RIPCORD_OPERATOR_KEY"));
const agent = clientFor(setting("RIPCORD_AGENT_KEY"));
const agentId = "ts-agent";
const topic = "GPU prices";
const streamLimit = () => AbortSignal.timeout(120_000);

// The seed's report process, with waits generous enough for a busy machine: the fallback starts on the
// acknowledgement, with its checkpoint, well before the checkpoint wait or the ack timeout could run out.
const registered = await admin.PUT("/api/v1/processes/{name}", {
  params: { path: { name: "report" } },
  body: {
    name: "report",
    nodes: [
      { id: "generate", agent: "report-generator", timeoutSeconds: 600, onCancel: "summary", checkpointWaitSeconds: 60 },
      { id: "summary", agent: "quick-summary" },
      { id: "deliver", join: "first" },
    ],
    edges: [["generate", "deliver"], ["summary", "deliver"]],
    cancel: { ackTimeoutSeconds: 60, gracePeriodSeconds: 120, holdSeconds: 0 },
  },
});
expect(registered.response.status === 200, "registering report", registered.error);

// The agent opens its signal stream first, so no cancel for a task it claims can be missed.
const signals = await agent.GET("/api/v1/agents/{agentId}/signals", { params: { path: { agentId } }, parseAs: "stream", signal: streamLimit() });
expect(signals.response.status === 200 && signals.data !== undefined && signals.data !== null, "opening the signal stream", signals.error);
const signalEvents = readEvents(signals.data);

const started = await operator.POST("/api/v1/cases", { body: { process: "report", input: { topic } } });
expect(started.response.status === 201 && started.data !== undefined, "starting the case", started.error);
const caseId = started.data.caseId;
expect(started.data.status === "running", `the new case is ${started.data.status}`);

const generate = await claim("report-generator");
expect(generate.caseId === caseId && generate.taskId === "generate", `claimed ${generate.caseId}/${generate.taskId}`);
const beat = await agent.POST("/api/v1/tasks/{caseId}/{taskId}/heartbeat", {
  params: { path: { caseId, taskId: generate.taskId } },
  body: { leaseToken: generate.leaseToken, progress: 0.3, usage: { tokens: 1200, gpuSeconds: 3.5 }, estimate: { tokens: 12_800, gpuSeconds: 40 } },
});
expect(beat.response.status === 200 && beat.data?.cancel === null, "a heartbeat before any cancel", beat.error);

const cancelled = await operator.POST("/api/v1/cases/{caseId}/tasks/{taskId}/cancel", {
  params: { path: { caseId, taskId: "generate" } },
  body: { reason: "get a quick summary instead" },
});
expect(cancelled.response.status === 202 && cancelled.data?.alreadyClosed === false, "cancelling the generator", cancelled.error);

const signal = await firstEvent(signalEvents, (event) => {
  const typed: SignalEvent = { event: "cancel", data: JSON.parse(event.data) };
  return event.event === typed.event && typed.data.taskId === "generate" && typed.data.caseId === caseId ? typed.data : undefined;
});
expect(signal.mode === "standard", `the generator's cancel is ${signal.mode}`);

const checkpoint = { topic, sectionsDone: 3, draftTokens: 1200, outline: ["prices", "supply", "outlook"] };
const acked = await agent.POST("/api/v1/tasks/{caseId}/{taskId}/cancel-ack", {
  params: { path: { caseId, taskId: generate.taskId } },
  body: { leaseToken: generate.leaseToken, checkpoint },
});
expect(acked.response.status === 200 && acked.data?.accepted === true, "acknowledging the cancel", acked.error);

const summary = await claim("quick-summary");
const handedOver = summary.checkpoint as typeof checkpoint | null;
expect(summary.taskId === "summary" && handedOver?.sectionsDone === checkpoint.sectionsDone, "the fallback gets the checkpoint", summary);

// Watch the case's history from the start, so its completion cannot be missed.
const history = await operator.GET("/api/v1/cases/{caseId}/events", { params: { path: { caseId } }, parseAs: "stream", signal: streamLimit() });
expect(history.response.status === 200 && history.data !== undefined && history.data !== null, "opening the case's events", history.error);
const completed = await agent.POST("/api/v1/tasks/{caseId}/{taskId}/complete", {
  params: { path: { caseId, taskId: summary.taskId } },
  body: { leaseToken: summary.leaseToken, output: { kind: "quick-summary", topic, basedOn: { checkpoint: true, sectionsDrafted: handedOver.sectionsDone } } },
});
expect(completed.response.status === 200 && completed.data?.accepted === true, "completing the summary", completed.error);
await firstEvent(readEvents(history.data), (event) => {
  const typed: HistoryStreamEvent = { event: "history", data: JSON.parse(event.data) };
  return typed.data.type === "case_completed" ? typed.data : undefined;
});

const view = await operator.GET("/api/v1/cases/{caseId}", { params: { path: { caseId } } });
expect(view.data?.status === "completed", `the case ended ${view.data?.status}`, view.error);
console.log(JSON.stringify({ caseId }));
process.exit(0);

/** Long-polls until a task of the agent type is granted (each poll waits on the server, not here). */
async function claim(agentType: string): Promise<TaskGrant> {
  for (let poll = 0; poll < 10; poll++) {
    const answer = await agent.POST("/api/v1/agents/{agentId}/poll", { params: { path: { agentId } }, body: { agents: [agentType], waitSeconds: 20 } });
    if (answer.response.status === 200 && answer.data) {
      return answer.data;
    }

    expect(answer.response.status === 204, `polling for ${agentType}`, answer.error);
  }

  throw new Error(`no ${agentType} task was granted`);
}

function expect(condition: boolean, what: string, detail?: unknown): asserts condition {
  if (!condition) {
    throw new Error(`${what}: ${JSON.stringify(detail ?? null)}`);
  }
}

function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }

  return value;
}
