using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>400 invalid_definition</c>: a process definition is not a valid graph; <see cref="RipcordException.Detail"/> names the fault.</summary>
public class InvalidDefinitionException : InvalidRequestException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public InvalidDefinitionException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
