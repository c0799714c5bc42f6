namespace Ripcord.Contracts.Tasks;

/// <summary>
/// Reminder message: a task still waiting for an agent announces itself again, so a ready notice lost between
/// silos delays the task by one interval instead of leaving it unclaimed.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.tasks.ready-announce-due")]
public sealed record ReadyAnnounceDue;
