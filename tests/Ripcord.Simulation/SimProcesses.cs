namespace Ripcord.Simulation;

/// <summary>The processes the simulation runs: the two seed processes and two small shapes, with settings drawn per case.</summary>
internal static class SimProcesses
{
    private static readonly ProcessDefinition Report = Load("report.json");

    private static readonly ProcessDefinition Investment = Load("investment.json");

    /// <summary>Two tasks into an XOR join that is the terminal node; "a" has one attempt only.</summary>
    private static readonly ProcessDefinition Race = new()
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

    /// <summary>A task with a short budget and a fallback, both into an XOR join, then a closing task.</summary>
    private static readonly ProcessDefinition Pipeline = new()
    {
        Name = "pipeline",
        Nodes =
        [
            new NodeDefinition { Id = "work", Agent = "worker", TimeoutSeconds = 40, MaxAttempts = 2, OnCancel = "rescue" },
            new NodeDefinition { Id = "rescue", Agent = "rescuer" },
            new NodeDefinition { Id = "merge", Join = "first" },
            new NodeDefinition { Id = "finish", Agent = "finisher" },
        ],
        Edges = [["work", "merge"], ["rescue", "merge"], ["merge", "finish"]],
    };

    private static readonly ProcessDefinition[] Shapes = [Report, Investment, Race, Pipeline];

    private static readonly double[] AckTimeouts = [1, 2, 5];

    private static readonly double[] Graces = [0, 3, 10, 60];

    private static readonly double[] Holds = [0, 0, 20];

    /// <summary>The default ladder, a fence at once with an alert after it, and a late fence after two re-emits.</summary>
    private static readonly ImmutableArray<EscalationStep>[] Ladders =
    [
        CancelSettings.DefaultEscalation,
        [new EscalationStep { AfterAckTimeouts = 1, Action = EscalationAction.Fence }, new EscalationStep { AfterAckTimeouts = 1.5, Action = EscalationAction.Alert }],
        [new EscalationStep { AfterAckTimeouts = 1, Action = EscalationAction.Reemit }, new EscalationStep { AfterAckTimeouts = 2, Action = EscalationAction.Reemit }, new EscalationStep { AfterAckTimeouts = 4, Action = EscalationAction.Fence }],
    ];

    /// <summary>A process and the case's cancel overrides, from <paramref name="choice"/>.</summary>
    public static (ProcessDefinition Definition, CancelOverrides Cancel) Pick(ref Choice choice)
    {
        var definition = Shapes[choice.Next(Shapes.Length)] with
        {
            Release = new ReleaseSettings { MaxAttempts = 1 + choice.Next(4), BackoffSeconds = 1, MaxBackoffSeconds = 8, AttemptTimeoutSeconds = 5 + (5 * choice.Next(3)) },
        };
        var cancel = new CancelOverrides
        {
            AckTimeoutSeconds = AckTimeouts[choice.Next(AckTimeouts.Length)],
            GracePeriodSeconds = Graces[choice.Next(Graces.Length)],
            HoldSeconds = Holds[choice.Next(Holds.Length)],
            Escalation = Ladders[choice.Next(Ladders.Length)],
        };
        return (definition, cancel);
    }

    private static ProcessDefinition Load(string file) =>
        ProcessDefinitionParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "processes", file))).GetOrThrow();
}
