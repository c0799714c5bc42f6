using Ripcord.Runtime;

namespace Ripcord.Testing.Grains;

/// <summary>
/// Its handler signals a shared rendezvous and waits for the other grains to reach it: it can only succeed when the
/// turns of different grains run at the same time.
/// </summary>
public sealed class MeetGrain(CountdownEvent rendezvous) : Grain<MeetState>
{
    public const string Type = "meet";

    public static GrainId Id(string caseId, string name) => GrainId.InCase(Type, caseId, name);

    public override MeetState CreateState(GrainId id) => new(false);

    public override MeetState Handle(MeetState state, Envelope message, ITurnContext context)
    {
        rendezvous.Signal();
        return new MeetState(rendezvous.Wait(TimeSpan.FromSeconds(20)));
    }
}
