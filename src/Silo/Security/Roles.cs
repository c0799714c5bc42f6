namespace Ripcord.Silo.Security;

/// <summary>The roles of API.md and the authorization policies built on them.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";
    public const string Agent = "agent";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Viewer, Operator, Admin, Agent };

    /// <summary>Policy: may read cases, processes, metrics (viewer, operator, admin).</summary>
    public const string ReadPolicy = "ripcord-read";

    /// <summary>Policy: may start cases and administer its own (operator, admin).</summary>
    public const string OperatePolicy = "ripcord-operate";

    /// <summary>Policy: may administer everything (admin).</summary>
    public const string AdminPolicy = "ripcord-admin";

    /// <summary>Policy: may speak the agent protocol (agent).</summary>
    public const string AgentPolicy = "ripcord-agent";
}
