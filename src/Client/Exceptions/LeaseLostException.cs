using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>409 lease_lost</c>: the agent's lease on the task was fenced or moved; the agent must stop working on it.</summary>
public class LeaseLostException : ConflictException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public LeaseLostException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
