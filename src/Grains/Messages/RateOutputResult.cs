namespace Ripcord.Grains;

/// <summary>Answer to <see cref="RateOutput"/>: <see cref="CommandStatus.Ok"/>, or why the rating was refused.</summary>
public sealed record RateOutputResult(CommandStatus Status, bool ViaFallback, string? Error = null);
