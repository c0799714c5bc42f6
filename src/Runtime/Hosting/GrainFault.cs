namespace Ripcord.Runtime;

/// <summary>The reply an ask receives when its message was dead-lettered.</summary>
public sealed record GrainFault(GrainId Grain, string Error);
