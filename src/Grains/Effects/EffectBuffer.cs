using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Collects the effects of one transition, stamping history with the turn's time and case.</summary>
public sealed class EffectBuffer
{
    private readonly List<Effect> _effects = [];

    public EffectBuffer(string caseId, DateTimeOffset now)
    {
        CaseId = caseId;
        Now = now;
    }

    public string CaseId { get; }

    public DateTimeOffset Now { get; }

    public IReadOnlyList<Effect> Effects => _effects;

    public void Send(string target, object message) => _effects.Add(new SendEffect(target, message));

    public void Reply(object reply) => _effects.Add(new ReplyEffect(reply));

    public void SetReminder(string name, DateTimeOffset dueAt, object message) => _effects.Add(new SetReminderEffect(name, dueAt, message));

    public void ClearReminder(string name) => _effects.Add(new ClearReminderEffect(name));

    public void Publish(string topic, object payload) => _effects.Add(new PublishEffect(topic, payload));

    public void Measure(Measure measure, double value) => _effects.Add(new MeasureEffect(measure, value));

    /// <param name="at">When it happened, if not at <see cref="Now"/> (a notice applied after the fact).</param>
    public void History(string type, string actor, string? reason = null, string? taskId = null, object? detail = null, DateTimeOffset? at = null) =>
        _effects.Add(new HistoryEffect(new HistoryEvent
        {
            At = at ?? Now,
            CaseId = CaseId,
            Type = type,
            Actor = actor,
            Reason = reason,
            TaskId = taskId,
            Detail = detail is null ? null : JsonSerializer.SerializeToElement(detail, RipcordJson.Options),
        }));

    public Decision<TState> ToDecision<TState>(TState state)
        where TState : class => new(state, _effects);
}
