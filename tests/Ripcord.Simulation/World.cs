using System.Globalization;

namespace Ripcord.Simulation;

/// <summary>
/// A few cases of the real case, task and registry machines, wired through a simulated network, clock, agents,
/// operators and release webhooks, all driven by one <see cref="Scenario"/>: a single thread, no real time, and
/// the invariants checked after every step.
/// </summary>
internal sealed partial class World
{
    public static readonly DateTimeOffset Epoch = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly List<string>? _trace;
    private readonly Invariants _invariants;

    /// <summary>Every mail a grain wrote a turn for, by receiver, sender and sequence: kept apart from the grains' own record of it.</summary>
    private readonly HashSet<(string Receiver, string Sender, long Sequence)> _applied = [];
    private int _tokens;
    private int _resources;

    private World(uint setup, List<string>? trace)
    {
        _trace = trace;
        var choice = new Choice(setup);
        var count = 1 + choice.Next(3);
        for (var i = 0; i < count; i++)
        {
            var (definition, cancel) = SimProcesses.Pick(ref choice);
            Cases.Add(new SimCase("c" + i.ToString(CultureInfo.InvariantCulture), definition, cancel, NewToken));
        }

        for (var i = 1; i <= 3; i++)
        {
            Agents.Add(new SimAgent("a-" + i.ToString(CultureInfo.InvariantCulture)));
        }

        _invariants = new Invariants(this);
    }

    public DateTimeOffset Now { get; private set; } = Epoch;

    public List<SimCase> Cases { get; } = [];

    public List<SimAgent> Agents { get; } = [];

    /// <summary>Runs <paramref name="scenario"/>, then lets the system settle; throws <see cref="InvariantViolation"/> at the first broken guarantee.</summary>
    public static void Run(Scenario scenario) => Run(scenario, null);

    /// <summary>What <paramref name="scenario"/> did, step by step, up to its end or its violation.</summary>
    public static IReadOnlyList<string> TraceOf(Scenario scenario)
    {
        var trace = new List<string>();
        try
        {
            Run(scenario, trace);
        }
        catch (InvariantViolation e)
        {
            trace.Add("VIOLATION " + e.Message);
        }

        return trace;
    }

    private static void Run(Scenario scenario, List<string>? trace)
    {
        var world = new World(scenario.Setup, trace);
        foreach (var simCase in world.Cases)
        {
            world.StartCase(simCase);
        }

        world._invariants.AfterStep();
        for (var i = 0; i < scenario.Steps.Length; i++)
        {
            world.Step(new Choice(scenario.Steps[i]));
            world._invariants.AfterStep();
        }

        world.Settle();
        world._invariants.AfterSettling();
    }

    private void Step(Choice choice)
    {
        switch (choice.Next(20))
        {
            case < 6:
                DeliverMail(ref choice);
                break;
            case < 8:
                Publish(ref choice);
                break;
            case 8:
                AnswerHungWebhook(ref choice);
                break;
            case < 11:
                AdvanceClock(ref choice);
                break;
            case < 13:
                FireDeadline(ref choice);
                break;
            case < 17:
                ActAsAgent(ref choice);
                break;
            case < 19:
                ActAsOperator(ref choice);
                break;
            default:
                CrashGrain(ref choice);
                break;
        }
    }

    private string NewToken() => "lease-" + (++_tokens).ToString(CultureInfo.InvariantCulture);

    private string NewResourceId() => "r-" + (++_resources).ToString(CultureInfo.InvariantCulture);

    /// <summary>Applies one message to one grain in a turn of its own, checks what the turn did, and returns it.</summary>
    private TurnResult Apply(SimCase simCase, ISimGrain grain, object message, Mail? mail = null, Deadline? deadline = null, bool crash = false) =>
        Apply(simCase, grain, [new Arrival(message, mail, deadline)], crash);

    /// <summary>Applies messages to one grain in one turn, as a group written once, checks what the turn did, and returns it.</summary>
    private TurnResult Apply(SimCase simCase, ISimGrain grain, IReadOnlyList<Arrival> group, bool crash)
    {
        var (message, mail, deadline) = (group[0].Message, group[0].Mail, group[0].Deadline);
        TurnResult result;
        try
        {
            result = grain.Turn(group, Now, crash);
        }
        catch (InvalidStatusTransitionException e)
        {
            throw new InvariantViolation(Invariants.Lifecycle, $"{grain.Key} refused {Describe(message)}: {e.Message}");
        }
        catch (Exception e) when (e is not InvariantViolation)
        {
            throw new InvariantViolation(Invariants.NeverLost, $"{grain.Key} could not apply {Describe(message)}: {e}");
        }

        if (Tracing)
        {
            Log($"{Seconds} {grain.Key} <- {(group.Count > 1 ? $"[group of {group.Count}] " : "")}{Describe(message)}{(mail is null ? "" : $" (mail {mail.Sender}#{mail.Sequence})")}{(crash ? " CRASH before write" : "")}{(mail is not null && !result.Admitted[0] && !crash ? " duplicate" : "")}{(result.Reply is { } r ? " => " + Describe(r) : "")}");
        }

        for (var i = 0; i < group.Count && !crash; i++)
        {
            if (group[i].Mail is not { } arrived)
            {
                continue;
            }

            var id = (grain.Key, arrived.Sender, arrived.Sequence);
            if (result.Admitted[i] && !_applied.Add(id))
            {
                throw new InvariantViolation(Invariants.AppliedOnce, $"{grain.Key} applied {Describe(arrived.Message)} (mail {arrived.Sender}#{arrived.Sequence}) a second time");
            }

            if (!result.Admitted[i] && !_applied.Contains(id))
            {
                throw new InvariantViolation(Invariants.NeverLost, $"{grain.Key} took {Describe(arrived.Message)} (mail {arrived.Sender}#{arrived.Sequence}) for a duplicate and dropped it");
            }
        }

        foreach (var step in result.Steps)
        {
            _invariants.OnTurn(simCase, step);
        }

        return result;
    }

    private string Seconds => "t+" + (Now - Epoch).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private bool Tracing => _trace is not null;

    private void Log(string line) => _trace?.Add(line);

    private void Log(Func<string> line)
    {
        if (_trace is not null)
        {
            _trace.Add(line());
        }
    }

    private static string Describe(object message) => message switch
    {
        CancelCase m => $"CancelCase({m.Mode}, hold {m.HoldSeconds?.ToString(CultureInfo.InvariantCulture) ?? "default"}, grace {m.GracePeriodSeconds?.ToString(CultureInfo.InvariantCulture) ?? "default"}, by {m.RequestedBy})",
        CancelActivity m => $"CancelActivity([{string.Join(", ", m.TaskIds)}], by {m.RequestedBy})",
        TaskEnded m => $"TaskEnded({m.TaskId}, {m.Status})",
        StartCase m => $"StartCase({m.Definition.Name})",
        StartTask m => $"StartTask({m.Node.Id})",
        _ => message.ToString() ?? message.GetType().Name,
    };
}
