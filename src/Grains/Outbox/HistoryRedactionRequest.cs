namespace Ripcord.Grains.Outbox;

/// <summary>Outbox payload (<see cref="OutboxTopics.HistoryRedaction"/>): redact the payloads of a case's history.</summary>
[GenerateSerializer]
[Alias("ripcord.outbox.history-redaction-request")]
public sealed record HistoryRedactionRequest([property: Id(0)] string CaseId, [property: Id(1)] bool KeepSnapshots);
