using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary>
/// The server answered with an error. <see cref="Code"/> is the stable code of its problem-details body
/// (RFC 9457); subclasses exist for the codes callers commonly handle.
/// </summary>
public class RipcordException : Exception
{
    /// <summary>Creates the exception from a problem-details body.</summary>
    /// <param name="problem">The problem the server reported.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RipcordException(RipcordProblem problem, Exception? innerException = null)
        : base(FormatMessage(problem), innerException)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
    }

    /// <summary>The stable machine-readable code, e.g. <c>case_not_found</c>.</summary>
    public string Code => Problem.Code;

    /// <summary>The HTTP status code.</summary>
    public int Status => Problem.Status;

    /// <summary>What went wrong, for a person to read.</summary>
    public string? Detail => Problem.Detail;

    /// <summary>The whole problem-details body.</summary>
    public RipcordProblem Problem { get; }

    private static string FormatMessage(RipcordProblem problem)
    {
        var text = problem.Detail ?? problem.Title ?? "The Ripcord server reported an error.";
        return $"{text} ({problem.Code}, HTTP {problem.Status})";
    }
}
