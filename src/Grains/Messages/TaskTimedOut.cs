namespace Ripcord.Grains;

/// <summary>Reminder of the task grain: its <c>timeoutSeconds</c> budget ran out.</summary>
public sealed record TaskTimedOut(double TimeoutSeconds);
