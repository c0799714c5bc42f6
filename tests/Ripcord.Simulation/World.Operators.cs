namespace Ripcord.Simulation;

/// <summary>Simulated operators: they start cases, cancel tasks and cases (standard or force, held or not), confirm, override, rate outputs, purge payloads, and repeat themselves.</summary>
internal sealed partial class World
{
    private static readonly double?[] HoldChoices = [null, 0, 15];

    private static readonly double?[] GraceChoices = [null, 0, 5, 30];

    private void StartCase(SimCase simCase)
    {
        var reply = Apply(simCase, simCase.Case, Start(simCase)).Reply;
        if (reply is not StartCaseResult { Status: CommandStatus.Created })
        {
            throw new InvalidOperationException($"case {simCase.CaseId} did not start: {reply}");
        }
    }

    private static StartCase Start(SimCase simCase) => new() { Definition = simCase.Definition, StartedBy = "alice", Admins = ["bob"], Cancel = simCase.Cancel };

    private void ActAsOperator(ref Choice choice)
    {
        var simCase = choice.Of(Cases);
        var by = choice.OneIn(2) ? "alice" : "bob";
        object message = choice.Next(10) switch
        {
            < 4 => new CancelCase
            {
                RequestedBy = by,
                Mode = choice.OneIn(3) ? CancelMode.Force : CancelMode.Standard,
                Reason = "operator",
                HoldSeconds = choice.Of(HoldChoices),
                GracePeriodSeconds = choice.Of(GraceChoices),
            },
            4 => new ConfirmCancel { RequestedBy = by },
            5 => new OverrideCancel { RequestedBy = by, Reason = "keep going" },
            < 8 => new CancelActivity { RequestedBy = by, Reason = "not needed", TaskIds = PickTasks(simCase, ref choice) },
            8 => new CancelCase { RequestedBy = "mallory", Mode = CancelMode.Force },
            _ => choice.Next(3) switch
            {
                0 => Start(simCase),
                1 => new PurgeCase { RequestedBy = by, Reason = "erasure request" },
                _ => new RateOutput { RatedBy = by, Rating = 1 + choice.Next(5), Comment = "rated" },
            },
        };

        var reply = Command(simCase, simCase.Case, message, ref choice);
        switch (reply)
        {
            case CancelCaseResult { Status: CommandStatus.Accepted } when message is CancelCase:
                simCase.AcceptedCancels.Add(Now);
                break;
            case CancelActivityResult { Status: CommandStatus.Accepted } result:
                foreach (var outcome in result.Tasks)
                {
                    if (!outcome.AlreadyClosed)
                    {
                        simCase.AcceptedTaskCancels.Add(outcome.TaskId);
                    }
                }

                break;
        }
    }

    private static ImmutableArray<string> PickTasks(SimCase simCase, ref Choice choice)
    {
        var nodes = simCase.Definition.Nodes;
        var first = choice.Of(nodes).Id;
        if (!choice.OneIn(3))
        {
            return [first];
        }

        var second = choice.Of(nodes).Id;
        return second == first ? [first] : [first, second];
    }
}
