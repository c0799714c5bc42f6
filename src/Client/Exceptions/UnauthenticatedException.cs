using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>401 unauthenticated</c>: the API key is missing or unknown.</summary>
public class UnauthenticatedException : RipcordException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public UnauthenticatedException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
