namespace Ripcord.Runtime;

/// <summary>
/// A one-way message in a grain's mailbox. The store assigns <see cref="Id"/> when the message becomes durable;
/// ids grow in enqueue order, so a mailbox is read in the order its messages were sent.
/// </summary>
public sealed class Envelope
{
    public Envelope(GrainId target, object body, GrainId? sender = null, Guid? correlationId = null, string? reminderName = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        Target = target;
        Body = body;
        Sender = sender;
        CorrelationId = correlationId;
        ReminderName = reminderName;
    }

    /// <summary>Store-assigned position; 0 until the message is durable.</summary>
    public long Id { get; set; }

    public GrainId Target { get; }

    /// <summary>The grain that sent it, or null when a client (HTTP handler, test, reminder) did.</summary>
    public GrainId? Sender { get; }

    public object Body { get; }

    /// <summary>Set when the sender asked and awaits a reply.</summary>
    public Guid? CorrelationId { get; }

    /// <summary>Set when a reminder fired this message.</summary>
    public string? ReminderName { get; }

    /// <summary>When the message became durable.</summary>
    public DateTimeOffset EnqueuedAt { get; set; }

    public override string ToString() => $"#{Id} {Body.GetType().Name} -> {Target}";
}
