namespace Ripcord.Grains.Storage;

/// <summary>
/// The only place grain keys are built. Orleans' ADO.NET storage stores a string key that parses as a hexadecimal
/// integer as that integer (so <c>c1</c>, <c>C1</c> and <c>00c1</c> would share one row) and leaves the grain type
/// out of the row's key. Every key here starts with its grain type and a colon, which no hexadecimal integer
/// contains, so each key is stored as the string it is and two grain types never meet on one row.
/// </summary>
public static class GrainKeys
{
    public const string CasePrefix = "case:";
    public const string TaskPrefix = "task:";
    public const string RegistryPrefix = "registry:";
    public const string AgentPrefix = "agent:";
    public const string ReadyPrefix = "ready:";
    public const string ProcessCatalog = "processes:all";

    public static string Case(string caseId) => CasePrefix + caseId;

    /// <summary><c>task:{caseId.Length}:{caseId}/{taskId}</c>: the length keeps a case id with a slash unambiguous.</summary>
    public static string Task(string caseId, string taskId) =>
        string.Concat(TaskPrefix, caseId.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", caseId, "/", taskId);

    public static string Registry(string caseId) => RegistryPrefix + caseId;

    public static string Agent(string agentId) => AgentPrefix + agentId;

    public static string Ready(string agentType, int partition) =>
        string.Concat(ReadyPrefix, partition.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", agentType);

    public static string CaseIdOf(string key) => key.StartsWith(CasePrefix, StringComparison.Ordinal)
        ? key[CasePrefix.Length..]
        : key.StartsWith(RegistryPrefix, StringComparison.Ordinal) ? key[RegistryPrefix.Length..]
        : key.StartsWith(TaskPrefix, StringComparison.Ordinal) ? SplitTask(key).CaseId
        : throw new ArgumentException($"'{key}' is not the key of a grain of a case.", nameof(key));

    public static (string CaseId, string TaskId) SplitTask(string key)
    {
        if (!key.StartsWith(TaskPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' is not a task grain key.", nameof(key));
        }

        var colon = key.IndexOf(':', TaskPrefix.Length);
        var length = int.Parse(key.AsSpan(TaskPrefix.Length, colon - TaskPrefix.Length), System.Globalization.CultureInfo.InvariantCulture);
        var caseId = key.Substring(colon + 1, length);
        return (caseId, key[(colon + 2 + length)..]);
    }

    public static string AgentIdOf(string key) => key[AgentPrefix.Length..];

    public static (string AgentType, int Partition) SplitReady(string key)
    {
        var colon = key.IndexOf(':', ReadyPrefix.Length);
        return (key[(colon + 1)..], int.Parse(key.AsSpan(ReadyPrefix.Length, colon - ReadyPrefix.Length), System.Globalization.CultureInfo.InvariantCulture));
    }
}
