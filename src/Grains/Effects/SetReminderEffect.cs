namespace Ripcord.Grains;

/// <summary>Sets (or moves) the reminder <paramref name="Name"/> of the deciding grain.</summary>
public sealed record SetReminderEffect(string Name, DateTimeOffset DueAt, object Message) : Effect;
