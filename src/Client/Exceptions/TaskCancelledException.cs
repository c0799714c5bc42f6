using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary><c>409 task_cancelled</c>: the task was cancelled or fenced before this call; a late output is recorded as discarded.</summary>
public class TaskCancelledException : ConflictException
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TaskCancelledException(RipcordProblem problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
