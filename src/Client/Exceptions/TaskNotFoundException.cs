using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>404 task_not_found</c>: the case has no task with that id.</summary>
public class TaskNotFoundException : NotFoundException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TaskNotFoundException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
