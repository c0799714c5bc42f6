using Ripcord.Grains.Diagnostics;
using Ripcord.Runtime;

namespace Ripcord.Grains;

/// <summary>Carries a decision's effects out on the runtime's turn context: the only place grains touch the runtime.</summary>
public static class EffectApplier
{
    public static TState Apply<TState>(Decision<TState> decision, ITurnContext context)
        where TState : class
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var effect in decision.Effects)
        {
            switch (effect)
            {
                case SendEffect send:
                    context.Send(send.Target, send.Message);
                    break;
                case SetReminderEffect set:
                    context.SetReminder(set.Name, set.DueAt, set.Message);
                    break;
                case ClearReminderEffect clear:
                    context.ClearReminder(clear.Name);
                    break;
                case HistoryEffect history:
                    context.AppendHistory(history.Event);
                    break;
                case PublishEffect publish:
                    context.Publish(publish.Topic, publish.Payload);
                    break;
                case ReplyEffect reply:
                    context.Reply(reply.Reply);
                    break;
                case MeasureEffect measure:
                    CancellationInstruments.Record(measure.Measure, measure.Value);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown effect {effect.GetType().Name}.");
            }
        }

        return decision.State;
    }
}
