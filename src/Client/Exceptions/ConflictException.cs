using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>409 conflict</c>: the request conflicts with the current state.</summary>
public class ConflictException : RipcordException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ConflictException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
