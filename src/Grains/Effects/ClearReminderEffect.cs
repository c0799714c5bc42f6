namespace Ripcord.Grains;

/// <summary>Clears the reminder <paramref name="Name"/> of the deciding grain.</summary>
public sealed record ClearReminderEffect(string Name) : Effect;
