namespace Ripcord.Grains;

/// <summary>Reminder of the task grain: rung <see cref="Step"/> (0-based) of the escalation ladder is due.</summary>
public sealed record EscalationDue(int Step);
