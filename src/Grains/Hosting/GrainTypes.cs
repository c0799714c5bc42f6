using Ripcord.Grains.Storage;

namespace Ripcord.Grains;

/// <summary>The keys of one case's grains, as the machines address them.</summary>
public static class GrainTypes
{
    public static string CaseId(string caseId) => GrainKeys.Case(caseId);

    public static string TaskId(string caseId, string taskId) => GrainKeys.Task(caseId, taskId);

    public static string RegistryId(string caseId) => GrainKeys.Registry(caseId);
}
