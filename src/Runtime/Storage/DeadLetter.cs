namespace Ripcord.Runtime.Storage;

/// <summary>A message whose handler kept failing; it left the mailbox and is kept here with its last error.</summary>
public sealed record DeadLetter(GrainId Grain, long MessageId, object Body, string Error, int Attempts, DateTimeOffset At);
