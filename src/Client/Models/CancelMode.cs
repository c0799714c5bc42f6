using System.Text.Json.Serialization;

namespace Ripcord.Client.Models;

/// <summary>How hard a cancel stops work.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<CancelMode>))]
public enum CancelMode
{
    /// <summary><c>standard</c>: agents are asked to stop and may clean up within the grace period; then the task is forced.</summary>
    Standard = 0,

    /// <summary><c>force</c>: tasks are fenced at once and their resources released; on a case already cancelling, escalates it.</summary>
    Force,
}
