using System.Text.Json.Serialization;

namespace Ripcord.Client.Models;

/// <summary>The lifecycle status of one task of a case (snake_case on the wire).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<CaseTaskStatus>))]
public enum CaseTaskStatus
{
    /// <summary>A status this version of the client does not know.</summary>
    Unknown = 0,

    /// <summary><c>pending</c>: waiting for its predecessors.</summary>
    Pending,

    /// <summary><c>ready</c>: waiting for an agent to claim it.</summary>
    Ready,

    /// <summary><c>running</c>: an agent holds its lease.</summary>
    Running,

    /// <summary><c>cancelling</c>: a cancel signal was sent; waiting for the agent's acknowledgement.</summary>
    Cancelling,

    /// <summary><c>cancelled</c>: the task stopped on a cancel path.</summary>
    Cancelled,

    /// <summary><c>completed</c>: the agent delivered an output.</summary>
    Completed,

    /// <summary><c>failed</c>: the agent reported a failure.</summary>
    Failed,

    /// <summary><c>skipped</c>: the task was never needed (for example a losing branch of a join).</summary>
    Skipped,
}
