namespace Ripcord.Simulation;

/// <summary>The end of a run: the agents fall silent, and the network and clock run until nothing is left to happen.</summary>
internal sealed partial class World
{
    private const int SettleTurns = 20_000;

    private void Settle()
    {
        Log("settling: agents silent, every message delivered, every deadline fired");
        _hung.Clear();
        for (var i = 0; i < SettleTurns; i++)
        {
            if (MailChannels() is [var (mailCase, sender, mail), ..])
            {
                var message = mail.Message!.ToMessage();
                Apply(mailCase, mailCase.Grain(mail.Target!), message, new Mail(sender.Key, mail.Sequence, message));
                sender.MarkDelivered(mail.Sequence);

                continue;
            }

            if (PendingPublishes() is [var (publishCase, grain, entry), ..])
            {
                if (entry.Message!.ToMessage() is ResourceReleaseRequest release)
                {
                    var outcome = new ReleaseAttemptCompleted { ResourceId = release.ResourceId, Attempt = release.Attempt, Success = true, StatusCode = 200 };
                    Apply(publishCase, grain, outcome, new Mail(grain.Key + "#" + entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, outcome));
                }

                grain.MarkDelivered(entry.Sequence);
                continue;
            }

            if (NextDeadline() is not { } next)
            {
                return;
            }

            if (next.Deadline.DueAt > Now)
            {
                Now = next.Deadline.DueAt;
            }

            Apply(next.Case, next.Grain, next.Deadline.Message.ToMessage(), deadline: next.Deadline);
        }

        throw new InvariantViolation(Invariants.NeverLost, $"the system did not settle within {SettleTurns} turns");
    }

    /// <summary>The earliest deadline of any grain, leaving out a ready task's announcements, which recur while it waits for an agent.</summary>
    private (SimCase Case, ISimGrain Grain, Deadline Deadline)? NextDeadline()
    {
        (SimCase, ISimGrain, Deadline)? next = null;
        foreach (var simCase in Cases)
        {
            foreach (var grain in simCase.Grains)
            {
                foreach (var deadline in grain.Deadlines)
                {
                    if (deadline.Message.ToMessage() is not ReadyAnnounceDue && (next is null || deadline.DueAt < next.Value.Item3.DueAt))
                    {
                        next = (simCase, grain, deadline);
                    }
                }
            }
        }

        return next;
    }
}
