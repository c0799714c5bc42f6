using System.Collections.Immutable;
using System.Globalization;
using Ripcord.Contracts;

namespace Ripcord.Grains.Durability;

/// <summary>
/// The pure part of a durable grain's write: messages applied one after the other through the grain's machine on
/// top of its last written record, and the record that holds them all. Mail applied before (a sequence at or below
/// the last one applied from its sender) and a deadline that an earlier message moved or cleared are skipped; every
/// effect becomes an outbox entry, a deadline or a reply. No I/O: the caller writes <see cref="Finish"/>'s record
/// and only then lets <see cref="Added"/> out.
/// </summary>
public sealed class TurnGroup<TState>
    where TState : class
{
    private readonly string _key;
    private readonly GrainRecord<TState> _before;
    private ImmutableArray<OutboxEntry> _outbox;
    private ImmutableArray<Deadline> _deadlines;
    private ImmutableDictionary<string, long> _applied;
    private long _sequence;
    private bool _changed;
    private List<MeasureEffect>? _measures;
    private ImmutableArray<OutboxEntry>.Builder? _added;

    /// <param name="key">The grain's key: with an entry's sequence, the id of its history events.</param>
    /// <param name="before">The last written record.</param>
    /// <param name="delivered">Sequences of its outbox already delivered: dropped from the next record.</param>
    /// <param name="now">The time of every message of the group.</param>
    public TurnGroup(string key, GrainRecord<TState> before, IReadOnlySet<long> delivered, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(delivered);
        _key = key;
        _before = before;
        Now = now;
        State = before.State ?? throw new ArgumentException("The record has no state.", nameof(before));
        _outbox = delivered.Count == 0 ? before.Outbox : before.Outbox.RemoveAll(e => delivered.Contains(e.Sequence));
        _deadlines = before.Deadlines;
        _applied = before.Applied;
        _sequence = before.NextSequence;
    }

    public DateTimeOffset Now { get; }

    /// <summary>The state after the messages applied so far.</summary>
    public TState State { get; private set; }

    /// <summary>Mail skipped because it was applied before.</summary>
    public int DuplicatesIgnored { get; private set; }

    /// <summary>The outbox entries the group added, in sequence order.</summary>
    public IReadOnlyList<OutboxEntry> Added => _added is null ? [] : _added;

    public IReadOnlyList<MeasureEffect> Measures => _measures is null ? [] : _measures;

    /// <summary>
    /// The message to decide on, or null when it is to be skipped: mail applied before, or a deadline no longer due
    /// (the deadline's current message replaces the fired one). Records the mail's sequence and removes the deadline,
    /// so a message the machine then cannot apply is not applied again either.
    /// </summary>
    public object? Admit(object message, Mail? mail, Deadline? deadline)
    {
        if (mail is not null)
        {
            if (_applied.TryGetValue(mail.Sender, out var last) && mail.Sequence <= last)
            {
                DuplicatesIgnored++;
                return null;
            }

            _applied = _applied.SetItem(mail.Sender, mail.Sequence);
            _changed = true;
        }

        if (deadline is not null)
        {
            var current = Find(_deadlines, deadline.Name);
            if (current is null || current.DueAt > Now)
            {
                return null;
            }

            message = ReferenceEquals(current, deadline) ? message : current.Message.ToMessage();
            _deadlines = _deadlines.Remove(current);
            _changed = true;
        }

        return message;
    }

    /// <summary>Takes a decision of the machine on the group: its state and effects. Returns its reply, if any.</summary>
    public object? Apply(Decision<TState> decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        object? reply = null;
        _changed |= !ReferenceEquals(decision.State, State);
        State = decision.State;
        foreach (var effect in decision.Effects)
        {
            switch (effect)
            {
                case SendEffect send:
                    Add(new OutboxEntry { Sequence = _sequence++, Kind = OutboxKind.Mail, Target = send.Target, Message = StoredMessage.From(send.Message) });
                    break;
                case PublishEffect publish:
                    Add(new OutboxEntry { Sequence = _sequence++, Kind = OutboxKind.Publish, Topic = publish.Topic, Message = StoredMessage.From(publish.Payload) });
                    break;
                case HistoryEffect history:
                    var id = string.Concat(_key, "#", _sequence.ToString(CultureInfo.InvariantCulture));
                    Add(new OutboxEntry { Sequence = _sequence++, Kind = OutboxKind.History, History = new PendingHistoryEvent(id, history.Event) });
                    break;
                case SetReminderEffect set:
                    _deadlines = _deadlines.RemoveAll(d => d.Name == set.Name).Add(new Deadline(set.Name, set.DueAt, StoredMessage.From(set.Message)));
                    _changed = true;
                    break;
                case ClearReminderEffect clear:
                    var without = _deadlines.RemoveAll(d => d.Name == clear.Name);
                    _changed |= without.Length != _deadlines.Length;
                    _deadlines = without;
                    break;
                case ReplyEffect answer:
                    reply = answer.Reply;
                    break;
                case MeasureEffect measure:
                    (_measures ??= []).Add(measure);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown effect {effect.GetType().Name}.");
            }
        }

        return reply;
    }

    /// <summary>
    /// The record to write, with the case index row <paramref name="indexEntry"/> gives for the change (only the
    /// newest row is kept waiting); null when the group changed nothing and there is nothing to write. The recovery
    /// reminder flag is the last record's: registering the reminder is the caller's.
    /// </summary>
    public GrainRecord<TState>? Finish(Func<TState, TState, long, CaseIndexEntry?> indexEntry)
    {
        ArgumentNullException.ThrowIfNull(indexEntry);
        var version = _before.Version + 1;
        var outbox = _outbox;
        if (indexEntry(_before.State!, State, version) is { } row)
        {
            outbox = outbox.RemoveAll(e => e.Kind == OutboxKind.Index);
            Add(new OutboxEntry { Sequence = _sequence++, Kind = OutboxKind.Index, Index = row });
        }

        if (_added is not null)
        {
            outbox = outbox.AddRange(_added);
            _changed = true;
        }

        if (!_changed)
        {
            return null;
        }

        return _before with
        {
            State = State,
            NextSequence = _sequence,
            Outbox = outbox,
            Deadlines = _deadlines,
            Applied = _applied,
            Version = version,
        };
    }

    private void Add(OutboxEntry entry) => (_added ??= ImmutableArray.CreateBuilder<OutboxEntry>()).Add(entry);

    private static Deadline? Find(ImmutableArray<Deadline> deadlines, string name)
    {
        foreach (var deadline in deadlines)
        {
            if (deadline.Name == name)
            {
                return deadline;
            }
        }

        return null;
    }
}
