using Ripcord.Contracts;
using Ripcord.Runtime.Storage;

namespace Ripcord.Runtime;

/// <summary>How code outside grains (HTTP handlers, tests, agents' gateway) talks to grains.</summary>
public interface IGrainClient
{
    /// <summary>Enqueues a one-way message; durable when the call returns.</summary>
    ValueTask<long> SendAsync(GrainId target, object message, CancellationToken cancellationToken = default);

    /// <summary>Sends a message and awaits the reply its turn commits, up to <paramref name="timeout"/>.</summary>
    Task<AskResult<TReply>> AskAsync<TReply>(GrainId target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>The grain's last committed state, without activating it; null when it never committed.</summary>
    ValueTask<TState?> ReadStateAsync<TState>(GrainId grain, CancellationToken cancellationToken = default)
        where TState : class;

    ValueTask<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string caseId, long afterSequence = 0, int max = 1000, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(int max = 100, CancellationToken cancellationToken = default);
}
