namespace Ripcord.Grains;

/// <summary>A status change the lifecycle does not allow was attempted: a bug in a transition function, never bad input.</summary>
public sealed class InvalidStatusTransitionException(string lifecycle, string subject, string from, string to)
    : InvalidOperationException($"The {lifecycle} lifecycle does not allow {subject} to move from {from} to {to}.")
{
    public string From { get; } = from;

    public string To { get; } = to;
}
