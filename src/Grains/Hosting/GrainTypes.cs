using Ripcord.Runtime;

namespace Ripcord.Grains;

/// <summary>The grain type names of the cancellation domain and the ids of one case's grains.</summary>
public static class GrainTypes
{
    public const string Case = "case";
    public const string Task = "task";
    public const string Registry = "registry";

    public static GrainId CaseId(string caseId) => GrainId.ForCase(Case, caseId);

    public static GrainId TaskId(string caseId, string taskId) => GrainId.InCase(Task, caseId, taskId);

    public static GrainId RegistryId(string caseId) => GrainId.ForCase(Registry, caseId);
}
