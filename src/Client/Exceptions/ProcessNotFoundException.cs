using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>404 process_not_found</c>: no process is registered under that name.</summary>
public class ProcessNotFoundException : NotFoundException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProcessNotFoundException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
