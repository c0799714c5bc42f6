using System.Text.Json;
using Ripcord.Grains.Tasks;

namespace Ripcord.Simulation;

/// <summary>Simulated agents: they claim, heartbeat, complete, fail, acknowledge (late or never), register and free resources, and retry with stale tokens.</summary>
internal sealed partial class World
{
    private static readonly JsonElement Output = JsonDocument.Parse("""{"done":true}""").RootElement.Clone();

    private static readonly JsonElement Checkpoint = JsonDocument.Parse("""{"page":3}""").RootElement.Clone();

    private void ActAsAgent(ref Choice choice)
    {
        var agent = choice.Of(Agents);
        var action = choice.Next(9);
        if (action == 0 || agent.Leases.Count == 0 && action < 8)
        {
            Claim(agent, ref choice);
            return;
        }

        if (action == 8)
        {
            // A call with any token this agent was ever given, live or not.
            var all = agent.Leases.Concat(agent.Spent).ToList();
            if (all.Count > 0)
            {
                Call(agent, choice.Of(all), 1 + choice.Next(6), ref choice);
            }

            return;
        }

        Call(agent, choice.Of(agent.Leases), action, ref choice);
    }

    private void Claim(SimAgent agent, ref Choice choice)
    {
        var ready = new List<(SimCase Case, SimGrain<TaskState> Task)>();
        var started = new List<(SimCase Case, SimGrain<TaskState> Task)>();
        foreach (var simCase in Cases)
        {
            foreach (var task in simCase.Tasks.Values)
            {
                if (task.State.Exists)
                {
                    started.Add((simCase, task));
                    if (task.State.Status == CaseTaskStatus.Ready)
                    {
                        ready.Add((simCase, task));
                    }
                }
            }
        }

        var pool = ready.Count > 0 && !choice.OneIn(6) ? ready : started;
        if (pool.Count == 0)
        {
            return;
        }

        var (c, t) = choice.Of(pool);
        var claim = new ClaimTask { AgentId = agent.Id, KillHookUrl = choice.OneIn(2) ? $"http://agents.test/{agent.Id}/kill" : null };
        if (Command(c, t, claim, ref choice) is ClaimResult { Status: CommandStatus.Ok, LeaseToken: { } token })
        {
            agent.Leases.Add(new SimLease(c, t.State.TaskId, token));
        }
    }

    /// <summary>One agent call on a lease: 1 heartbeat (with a checkpoint one time in three), 2 complete, 3 fail, 4 acknowledge the cancel, 5 register a resource, 6 free one, 7 go silent.</summary>
    private void Call(SimAgent agent, SimLease lease, int action, ref Choice choice)
    {
        var task = lease.Case.Task(lease.TaskId);
        object message;
        switch (action)
        {
            case 1:
                var used = 1 + choice.Next(10);
                message = new Heartbeat
                {
                    LeaseToken = lease.Token,
                    Usage = new Usage { Tokens = used * 100, GpuSeconds = used },
                    Estimate = choice.OneIn(3) ? null : new Usage { Tokens = 100 * (1 + choice.Next(12)), GpuSeconds = 1 + choice.Next(12) },

                    // Derived from a choice already made, so recorded scenarios replay as they were found.
                    Checkpoint = used % 3 == 0 ? Checkpoint : null,
                };
                break;
            case 2:
                message = new CompleteTask { LeaseToken = lease.Token, Output = Output };
                break;
            case 3:
                message = new FailTask { LeaseToken = lease.Token, Error = "out of memory" };
                break;
            case 4:
                message = new AckCancel { LeaseToken = lease.Token, Checkpoint = choice.OneIn(2) ? Checkpoint : null, Usage = new Usage { Tokens = 50 } };
                break;
            case 5:
                var id = NewResourceId();
                message = new RegisterResource
                {
                    LeaseToken = lease.Token,
                    ResourceId = id,
                    Kind = "vm",
                    Release = choice.OneIn(4) ? new ResourceReleaseAction { Type = ResourceReleaseAction.NoneType } : new ResourceReleaseAction { Url = $"http://cloud.test/vms/{id}" },
                };
                break;
            case 6 when lease.Resources.Count > 0:
                message = new FreeResource { LeaseToken = lease.Token, ResourceId = choice.Of(lease.Resources) };
                break;
            default:
                // Silent: this agent stops answering for this lease (it neither heartbeats nor acknowledges again).
                agent.Drop(lease);
                Log(() => $"{Seconds} {agent.Id} goes silent on {lease.Case.CaseId}/{lease.TaskId}");
                return;
        }

        var reply = Command(lease.Case, task, message, ref choice);
        switch (reply)
        {
            case HeartbeatResult { Status: CommandStatus.Ok, Cancel: not null }:
                lease.Signalled = true;
                break;
            case HeartbeatResult { Status: not CommandStatus.Ok }:
            case TaskCommandResult { Status: CommandStatus.LeaseLost or CommandStatus.TaskCancelled }:
                // Most agents stop when told; a zombie goes on with its token.
                if (!choice.OneIn(4))
                {
                    agent.Drop(lease);
                }

                break;
            case TaskCommandResult { Status: CommandStatus.Ok } when message is RegisterResource register:
                lease.Resources.Add(register.ResourceId);
                break;
            case TaskCommandResult { Status: CommandStatus.Ok } when message is CompleteTask or AckCancel or FailTask:
                agent.Drop(lease);
                break;
        }

        if (message is RegisterResource added && reply is TaskCommandResult { Status: CommandStatus.Ok or CommandStatus.LeaseLost or CommandStatus.TaskCancelled })
        {
            lease.Case.Registered.Add(added.ResourceId);
        }
    }

    /// <summary>
    /// A call the caller waits for: answered once written; the grain may die before its write (no answer, nothing
    /// happened) or after it (no answer, yet it happened).
    /// </summary>
    private object? Command(SimCase simCase, ISimGrain grain, object message, ref Choice choice)
    {
        var fate = choice.Next(16);
        var result = Apply(simCase, grain, message, crash: fate == 15);
        if (fate == 14)
        {
            grain.Crash();
            Log(() => $"{Seconds} {grain.Key} CRASH after the write: the answer is lost");
            return null;
        }

        return result.Written || result.Reply is not null ? result.Reply : null;
    }
}
