using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Tasks;

namespace Ripcord.Grains.Tests.Machines;

/// <summary>Shared inputs for the pure transition-function tests.</summary>
internal static class MachineFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static Func<string> Tokens(params string[] tokens)
    {
        var queue = new Queue<string>(tokens.Length == 0 ? ["token-1", "token-2", "token-3"] : tokens);
        return () => queue.Dequeue();
    }

    /// <summary>A task grain state that is running, leased with "token-1" by agent "a-1".</summary>
    public static TaskState Running(NodeDefinition? node = null, TaskSettings? settings = null, string? killHook = null)
    {
        var state = TaskState.Empty("c", "t");
        state = TaskMachine.Handle(state, new StartTask { Node = node ?? new NodeDefinition { Id = "t", Agent = "worker" }, Input = Json("""{"q":1}"""), Settings = settings ?? TaskSettings.Default }, T0, Tokens()).State;
        return TaskMachine.Handle(state, new ClaimTask { AgentId = "a-1", KillHookUrl = killHook }, T0, Tokens()).State;
    }

    public static CancelTask Cancel(CancelMode mode = CancelMode.Standard, double grace = 10) =>
        new() { Mode = mode, Reason = "stop", RequestedBy = "alice", RequestedAt = T0, GracePeriodSeconds = grace };
}
