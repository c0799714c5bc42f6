namespace Ripcord.Testing.Grains;

// Messages and states of the grains the runtime's specification uses. Plain records, so that every store
// (including one that serializes them) can carry them.

public sealed record Increment(long By = 1);

public sealed record GetCount();

public sealed record CounterState(long Value);

/// <summary>Sends <see cref="Increment"/> to the counter named <see cref="TargetName"/> in the same case.</summary>
public sealed record Forward(string TargetName, long By = 1);

/// <summary>Fails while the <see cref="FailurePlan"/> says so for <see cref="Key"/>; increments when it succeeds.</summary>
public sealed record FailWhilePlanned(string Key);

/// <summary>Records every kind of effect, then throws.</summary>
public sealed record RecordEverythingThenThrow(string TargetName);

/// <summary>Never replies.</summary>
public sealed record Ignore();

public sealed record Announce(string Topic, string Text);

public sealed record Note(string Text);

public sealed record Seq(string Sender, int N);

public sealed record SequenceState(string[] Received);

public sealed record Burst(string TargetName, int Count);

public sealed record SetAlarm(string Name, double Seconds);

public sealed record ClearAlarm(string Name);

public sealed record Alarm(string Name);

public sealed record AlarmState(string[] Fired);

public sealed record Meet();

public sealed record MeetState(bool Met);
