using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>404</c>: something named in the request does not exist.</summary>
public class NotFoundException : RipcordException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public NotFoundException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
