using Ripcord.Runtime;

namespace Ripcord.Grains.Processes;

/// <summary>
/// One process definition, kept in the grain store so every silo of a cluster sees the same definitions.
/// Each process is its own partition (<c>process:{name}</c>): registering one never touches a case.
/// </summary>
public sealed class ProcessGrain : Grain<ProcessRecord>
{
    public const string Type = "process";

    public static GrainId Id(string name) => GrainId.ForCase(Type, "process:" + name);

    public override ProcessRecord CreateState(GrainId id) => ProcessRecord.Empty;

    public override ProcessRecord Handle(ProcessRecord state, Envelope message, ITurnContext context)
    {
        if (message.Body is not RegisterProcess register)
        {
            throw new NotSupportedException($"A process grain does not handle {message.Body.GetType().Name}.");
        }

        context.Reply(state.Definition is null ? ProcessRegistration.Created : ProcessRegistration.Replaced);
        return new ProcessRecord { Definition = register.Definition, UpdatedAt = context.Now, Revision = state.Revision + 1 };
    }
}
