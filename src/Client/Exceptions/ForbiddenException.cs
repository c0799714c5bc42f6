using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>403 forbidden</c>: the API key is known but lacks the rights for this call (for a refused cancel, the case's history records the attempt).</summary>
public class ForbiddenException : RipcordException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ForbiddenException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
