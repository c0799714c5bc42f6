using Ripcord.Grains.Cases;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;

namespace Ripcord.Simulation;

/// <summary>The grains of one simulated case: its case grain, its task grains (made on first mail) and its registry.</summary>
internal sealed class SimCase
{
    private readonly Func<string> _newToken;

    public SimCase(string caseId, ProcessDefinition definition, CancelOverrides cancel, Func<string> newToken)
    {
        CaseId = caseId;
        Definition = definition;
        Cancel = cancel;
        _newToken = newToken;
        Case = new SimGrain<CaseState>(GrainKeys.Case(caseId), CaseState.Empty(caseId), CaseMachine.Handle);
        Registry = new SimGrain<RegistryState>(GrainKeys.Registry(caseId), RegistryState.Empty(caseId), RegistryMachine.Handle);
    }

    public string CaseId { get; }

    public ProcessDefinition Definition { get; }

    public CancelOverrides Cancel { get; }

    public SimGrain<CaseState> Case { get; }

    public SimGrain<RegistryState> Registry { get; }

    /// <summary>Resources whose registration an agent had answered (ok, or refused as late: handed to the registry either way).</summary>
    public HashSet<string> Registered { get; } = new(StringComparer.Ordinal);

    /// <summary>Resources registered with a task grain that had already ended: the case may have ended before they reach the registry.</summary>
    public HashSet<string> RegisteredAfterTheirTask { get; } = new(StringComparer.Ordinal);

    /// <summary>When a Cancel Case was answered accepted.</summary>
    public List<DateTimeOffset> AcceptedCancels { get; } = [];

    /// <summary>Tasks a Cancel Activity was answered accepted for (and not already closed).</summary>
    public HashSet<string> AcceptedTaskCancels { get; } = new(StringComparer.Ordinal);

    /// <summary>Confirmation holds the case entered (its <c>case_cancel_pending</c> events).</summary>
    public int Holds { get; set; }

    /// <summary>Joins whose first output was taken (<c>join_first_taken</c>).</summary>
    public HashSet<string> JoinsTaken { get; } = new(StringComparer.Ordinal);

    /// <summary>Task grains by task id.</summary>
    public SortedDictionary<string, SimGrain<TaskState>> Tasks { get; } = new(StringComparer.Ordinal);

    public IEnumerable<ISimGrain> Grains
    {
        get
        {
            yield return Case;
            foreach (var task in Tasks.Values)
            {
                yield return task;
            }

            yield return Registry;
        }
    }

    /// <summary>The grain with key <paramref name="key"/>, activating a task grain the first time it is addressed.</summary>
    public ISimGrain Grain(string key)
    {
        if (key == Case.Key)
        {
            return Case;
        }

        if (key == Registry.Key)
        {
            return Registry;
        }

        var (_, taskId) = GrainKeys.SplitTask(key);
        return Task(taskId);
    }

    public SimGrain<TaskState> Task(string taskId)
    {
        if (!Tasks.TryGetValue(taskId, out var grain))
        {
            grain = new SimGrain<TaskState>(GrainKeys.Task(CaseId, taskId), TaskState.Empty(CaseId, taskId), (s, m, now) => TaskMachine.Handle(s, m, now, _newToken));
            Tasks[taskId] = grain;
        }

        return grain;
    }
}
