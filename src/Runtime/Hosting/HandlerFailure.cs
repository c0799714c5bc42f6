namespace Ripcord.Runtime;

/// <summary>Raised when a handler threw: which message, which try, and whether it will be retried or was dead-lettered.</summary>
public readonly record struct HandlerFailure(GrainId Grain, long MessageId, int Attempt, bool WillRetry, Exception Exception);
