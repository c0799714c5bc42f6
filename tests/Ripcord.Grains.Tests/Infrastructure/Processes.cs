using Ripcord.Contracts;

namespace Ripcord.Grains.Tests;

/// <summary>The seed process files shipped with the silo, and small definitions for focused tests.</summary>
public static class Processes
{
    public static ProcessDefinition Report => Load("report.json");

    public static ProcessDefinition Investment => Load("investment.json");

    public static ProcessDefinition Load(string file) =>
        ProcessDefinitionParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "processes", file))).GetOrThrow();

    /// <summary>Two parallel tasks "a" and "b" into an XOR join "j" (terminal); "a" gets one attempt only.</summary>
    public static ProcessDefinition Race => new()
    {
        Name = "race",
        Nodes =
        [
            new NodeDefinition { Id = "a", Agent = "fast", MaxAttempts = 1 },
            new NodeDefinition { Id = "b", Agent = "slow" },
            new NodeDefinition { Id = "j", Join = "first" },
        ],
        Edges = [["a", "j"], ["b", "j"]],
    };

    /// <summary>One task "work" (agent "worker") feeding a terminal task "finish".</summary>
    public static ProcessDefinition Pipeline(int? maxAttempts = null, double? timeoutSeconds = null) => new()
    {
        Name = "pipeline",
        Nodes =
        [
            new NodeDefinition { Id = "work", Agent = "worker", MaxAttempts = maxAttempts, TimeoutSeconds = timeoutSeconds },
            new NodeDefinition { Id = "finish", Agent = "finisher" },
        ],
        Edges = [["work", "finish"]],
    };
}
