namespace Ripcord.Grains.Storage;

/// <summary>The one named grain storage every Ripcord grain keeps its state in, and the state names (one per grain type).</summary>
public static class RipcordStorage
{
    public const string Name = "ripcord";

    public const string CaseState = "ripcord-case";
    public const string TaskState = "ripcord-task";
    public const string RegistryState = "ripcord-registry";
    public const string ProcessCatalogState = "ripcord-processes";
}
