namespace Ripcord.Grains;

/// <summary>A value for one of the cancellation instruments.</summary>
public sealed record MeasureEffect(Measure Measure, double Value) : Effect;
