namespace Ripcord.Runtime;

/// <summary>
/// Identifies a grain: its type and key, plus the case it belongs to. The case id is the partition key:
/// every grain of one case shares it and no turn ever writes to two cases.
/// </summary>
public readonly record struct GrainId(string Type, string Key, string CaseId)
{
    /// <summary>A grain whose key is the case id itself (the case grain, the resource registry).</summary>
    public static GrainId ForCase(string type, string caseId) => new(type, caseId, caseId);

    /// <summary>A grain inside a case, keyed by <c>{caseId}/{name}</c>.</summary>
    public static GrainId InCase(string type, string caseId, string name) => new(type, caseId + "/" + name, caseId);

    public override string ToString() => Type + "/" + Key;
}
