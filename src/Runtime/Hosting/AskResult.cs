namespace Ripcord.Runtime;

/// <summary>
/// The outcome of an ask: the reply, or "accepted, not yet answered" when the reply did not come in time.
/// The request itself is durable in both cases.
/// </summary>
public readonly record struct AskResult<T>(bool IsAnswered, T? Value, long MessageId)
{
    public T GetValueOrThrow() =>
        IsAnswered ? Value! : throw new TimeoutException($"Message {MessageId} was accepted but not answered in time.");
}
