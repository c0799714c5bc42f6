using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Runtime;

namespace Ripcord.Testing.Grains;

/// <summary>A counter that also exercises every effect a turn can have.</summary>
public sealed class CounterGrain(FailurePlan failures) : Grain<CounterState>
{
    public const string Type = "counter";

    public static GrainId Id(string caseId, string name) => GrainId.InCase(Type, caseId, name);

    public override CounterState CreateState(GrainId id) => new(0);

    public override CounterState Handle(CounterState state, Envelope message, ITurnContext context)
    {
        switch (message.Body)
        {
            case Increment increment:
                return state with { Value = state.Value + increment.By };
            case GetCount:
                context.Reply(state.Value);
                return state;
            case Forward forward:
                context.Send(Id(context.Self.CaseId, forward.TargetName), new Increment(forward.By));
                return state with { Value = state.Value + 1 };
            case FailWhilePlanned fail:
                if (failures.ShouldFail(fail.Key))
                {
                    throw new InvalidOperationException($"planned failure of {fail.Key}");
                }

                context.Reply(state.Value + 1);
                return state with { Value = state.Value + 1 };
            case RecordEverythingThenThrow record:
                context.Send(Id(context.Self.CaseId, record.TargetName), new Increment());
                context.SetReminder("never", context.Now.AddSeconds(1), new Increment(100));
                context.AppendHistory(new HistoryEvent { CaseId = context.Self.CaseId, Type = "should_not_exist", Actor = "test", At = context.Now });
                context.Publish("test", "should not be published");
                context.Reply(-1L);
                failures.ShouldFail("record-everything");
                throw new InvalidOperationException("always fails after recording effects");
            case Ignore:
                return state;
            case Announce announce:
                context.Publish(announce.Topic, announce.Text);
                return state;
            case Note note:
                context.AppendHistory(new HistoryEvent
                {
                    CaseId = context.Self.CaseId,
                    Type = "note",
                    Actor = "test",
                    Reason = note.Text,
                    At = context.Now,
                    Detail = JsonSerializer.SerializeToElement(new { note.Text }),
                });
                return state;
            default:
                throw new NotSupportedException(message.Body.GetType().Name);
        }
    }
}
