using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>400 invalid_request</c>: the request was malformed (bad JSON, wrong types, missing fields, too large).</summary>
public class InvalidRequestException : RipcordException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public InvalidRequestException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
