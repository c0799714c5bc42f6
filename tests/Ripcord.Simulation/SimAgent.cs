namespace Ripcord.Simulation;

/// <summary>A lease an agent got from a claim, and what the agent did with it.</summary>
internal sealed class SimLease(SimCase simCase, string taskId, string token)
{
    public SimCase Case { get; } = simCase;

    public string TaskId { get; } = taskId;

    public string Token { get; } = token;

    /// <summary>Set once the agent heard of a cancel (pushed, or on a heartbeat).</summary>
    public bool Signalled { get; set; }

    /// <summary>Resources registered with this lease and answered ok.</summary>
    public List<string> Resources { get; } = [];
}

/// <summary>A simulated agent: the leases it works on, and every token it was ever given (to try again, stale).</summary>
internal sealed class SimAgent(string id)
{
    public string Id { get; } = id;

    public List<SimLease> Leases { get; } = [];

    public List<SimLease> Spent { get; } = [];

    public void Signalled(SimCase simCase, string taskId)
    {
        foreach (var lease in Leases)
        {
            if (lease.Case == simCase && lease.TaskId == taskId)
            {
                lease.Signalled = true;
            }
        }
    }

    /// <summary>The agent lets go of a lease (it finished, or was told it lost it); it keeps the token.</summary>
    public void Drop(SimLease lease)
    {
        if (Leases.Remove(lease))
        {
            Spent.Add(lease);
        }
    }
}
