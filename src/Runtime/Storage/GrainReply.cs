namespace Ripcord.Runtime.Storage;

/// <summary>The answer to an ask, committed with the turn that produced it.</summary>
public readonly record struct GrainReply(Guid CorrelationId, object Value);
