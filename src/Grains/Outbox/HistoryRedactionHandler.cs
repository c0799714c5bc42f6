using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Outbox;

/// <summary>
/// Redacts a case's stored history (topic <see cref="OutboxTopics.HistoryRedaction"/>): the one change ever made to
/// events already written. Kept in the case grain's outbox until it succeeds, and idempotent, so a crash in between
/// only means it runs again.
/// </summary>
public sealed class HistoryRedactionHandler(ICaseHistory history) : IOutboxHandler
{
    public string Topic => OutboxTopics.HistoryRedaction;

    public async Task<object?> HandleAsync(object payload, CancellationToken cancellationToken)
    {
        var request = (HistoryRedactionRequest)payload;
        await history.RedactAsync(request.CaseId, request.KeepSnapshots, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
