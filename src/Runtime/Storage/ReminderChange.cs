namespace Ripcord.Runtime.Storage;

/// <summary>A reminder set (with its due time and message) or cleared (<see cref="Message"/> null) by a turn.</summary>
public readonly record struct ReminderChange(string Name, DateTimeOffset DueAt, object? Message)
{
    public bool IsClear => Message is null;

    public static ReminderChange Set(string name, DateTimeOffset dueAt, object message) => new(name, dueAt, message);

    public static ReminderChange Clear(string name) => new(name, default, null);
}
