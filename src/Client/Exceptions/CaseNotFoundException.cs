using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>404 case_not_found</c>: no case has that id.</summary>
public class CaseNotFoundException : NotFoundException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CaseNotFoundException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
