namespace Ripcord.Silo.Agents;

public sealed partial class ReadyTaskDispatcher
{
    /// <summary>The polls of one agent type waiting on this silo, and the wake-up of the next arrival.</summary>
    private sealed class AgentType(string name)
    {
        private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting;
        private int _subscribed;
        private long _lastPollTicks;

        public string Name { get; } = name;

        /// <summary>Held while the partitions' subscription of this type changes.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Waiting => Volatile.Read(ref _waiting);

        public bool IsSubscribed => Volatile.Read(ref _subscribed) == 1;

        public Task Arrived => Volatile.Read(ref _arrived).Task;

        public void Enter(DateTimeOffset now)
        {
            Interlocked.Exchange(ref _lastPollTicks, now.UtcTicks);
            Interlocked.Increment(ref _waiting);
        }

        public void Leave(DateTimeOffset now)
        {
            Interlocked.Exchange(ref _lastPollTicks, now.UtcTicks);
            Interlocked.Decrement(ref _waiting);
        }

        public void MarkSubscribed() => Interlocked.Exchange(ref _subscribed, 1);

        /// <summary>
        /// Called under <see cref="Gate"/> by the renewal: true to renew, false to drop the subscription (then marked
        /// as dropped). A poll counts itself before it reads <see cref="IsSubscribed"/>, and the renewal marks the drop
        /// before it reads the count, so either the renewal sees the poll or the poll sees the drop and subscribes again.
        /// </summary>
        public bool KeepsSubscription(DateTimeOffset now, TimeSpan idle)
        {
            if (now.UtcTicks - Interlocked.Read(ref _lastPollTicks) < idle.Ticks)
            {
                return true;
            }

            Interlocked.Exchange(ref _subscribed, 0);
            if (Volatile.Read(ref _waiting) > 0)
            {
                Interlocked.Exchange(ref _subscribed, 1);
                return true;
            }

            return false;
        }

        public void Fire() => Interlocked.Exchange(ref _arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
