using Ripcord.Runtime;

namespace Ripcord.Testing.Grains;

/// <summary>Sets and clears named reminders and records which ones fired.</summary>
public sealed class AlarmGrain : Grain<AlarmState>
{
    public const string Type = "alarm";

    public static GrainId Id(string caseId, string name) => GrainId.InCase(Type, caseId, name);

    public override AlarmState CreateState(GrainId id) => new([]);

    public override AlarmState Handle(AlarmState state, Envelope message, ITurnContext context)
    {
        switch (message.Body)
        {
            case SetAlarm set:
                context.SetReminder(set.Name, context.Now.AddSeconds(set.Seconds), new Alarm(set.Name));
                return state;
            case ClearAlarm clear:
                context.ClearReminder(clear.Name);
                return state;
            case Alarm alarm:
                return new AlarmState([.. state.Fired, alarm.Name]);
            default:
                throw new NotSupportedException(message.Body.GetType().Name);
        }
    }
}
