using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ripcord.Runtime.Diagnostics;

/// <summary>The one <see cref="Meter"/> and <see cref="ActivitySource"/> named <c>Ripcord</c>, and every runtime instrument.</summary>
public static class RipcordInstruments
{
    public const string Name = "Ripcord";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Counter<long> MessagesHandled = Meter.CreateCounter<long>("ripcord.runtime.messages_handled", description: "Messages handled by committed turns.");

    public static readonly Counter<long> Turns = Meter.CreateCounter<long>("ripcord.runtime.turns", description: "Turns committed.");

    public static readonly Counter<long> HandlerFailures = Meter.CreateCounter<long>("ripcord.runtime.handler_failures", description: "Handler invocations that threw.");

    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("ripcord.runtime.dead_letters", description: "Messages dead-lettered after their last try.");

    public static readonly Counter<long> StaleCommits = Meter.CreateCounter<long>("ripcord.runtime.stale_commits", description: "Commits rejected for a stale epoch or version.");
}
