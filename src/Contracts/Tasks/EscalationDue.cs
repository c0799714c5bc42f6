namespace Ripcord.Contracts.Tasks;

/// <summary>Reminder of the task grain: rung <see cref="Step"/> (0-based) of the escalation ladder is due.</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.escalation-due")]
public sealed record EscalationDue([property: Id(0)] int Step);
