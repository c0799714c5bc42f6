namespace Ripcord.Grains;

/// <summary>
/// Reminder message: a task still waiting for an agent announces itself again, so a ready notice lost between
/// silos delays the task by one interval instead of leaving it unclaimed.
/// </summary>
public sealed record ReadyAnnounceDue;
