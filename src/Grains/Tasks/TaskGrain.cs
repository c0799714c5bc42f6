using System.Security.Cryptography;
using Ripcord.Runtime;

namespace Ripcord.Grains.Tasks;

/// <summary>The task grain (type <c>task</c>, key: <c>{caseId}/{taskId}</c>). Decides through <see cref="TaskMachine"/>.</summary>
public sealed class TaskGrain : Grain<TaskState>
{
    private static readonly Func<string> NewToken = static () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public override TaskState CreateState(GrainId id)
    {
        // Keys are "{caseId}/{taskId}" (GrainId.InCase); either part may itself contain a slash.
        var prefix = id.CaseId + "/";
        return TaskState.Empty(id.CaseId, id.Key.StartsWith(prefix, StringComparison.Ordinal) ? id.Key[prefix.Length..] : id.Key);
    }

    public override TaskState Handle(TaskState state, Envelope message, ITurnContext context)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        return EffectApplier.Apply(TaskMachine.Handle(state, message.Body, context.Now, NewToken), context);
    }
}
