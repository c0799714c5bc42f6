using System.Collections.Concurrent;
using Ripcord.Runtime.Storage;

namespace Ripcord.Runtime.Tests.Postgres;

/// <summary>Records what a store announces, and lets a test await a given announcement.</summary>
internal sealed class RecordingListener : IStoreListener
{
    private readonly ConcurrentQueue<(Func<object, bool> Match, TaskCompletionSource<object> Done)> _waiters = new();

    public ConcurrentQueue<GrainId> Messages { get; } = new();

    public ConcurrentQueue<GrainReply> Replies { get; } = new();

    public ConcurrentQueue<OutboxItem> Outbox { get; } = new();

    public ConcurrentQueue<DateTimeOffset> Reminders { get; } = new();

    public void OnMessagesAvailable(GrainId grain)
    {
        Messages.Enqueue(grain);
        Notify(grain);
    }

    public void OnReply(GrainReply reply)
    {
        Replies.Enqueue(reply);
        Notify(reply);
    }

    public void OnOutbox(IReadOnlyList<OutboxItem> items)
    {
        foreach (var item in items)
        {
            Outbox.Enqueue(item);
        }
    }

    public void OnReminderScheduled(DateTimeOffset dueAt) => Reminders.Enqueue(dueAt);

    /// <summary>Completes when a grain wake-up or reply matching <paramref name="match"/> is announced (from now on).</summary>
    public Task<object> WaitFor(Func<object, bool> match)
    {
        var done = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((match, done));
        return done.Task;
    }

    private void Notify(object announced)
    {
        foreach (var (match, done) in _waiters)
        {
            if (!done.Task.IsCompleted && match(announced))
            {
                done.TrySetResult(announced);
            }
        }
    }
}
