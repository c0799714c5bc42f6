namespace Ripcord.Simulation;

/// <summary>The network, the clock, the webhooks and crashes.</summary>
internal sealed partial class World
{
    private static readonly double[] ClockSteps = [0.5, 1, 2, 5, 10, 30];

    /// <summary>Release webhooks that have not answered yet: they may answer late, or never.</summary>
    private readonly List<(SimCase Case, ISimGrain Grain, Mail Outcome)> _hung = [];

    /// <summary>Mail still to leave, one channel per sender and receiver: each channel's oldest entry goes first.</summary>
    private List<(SimCase Case, ISimGrain Sender, OutboxEntry Entry)> MailChannels()
    {
        var channels = new List<(SimCase, ISimGrain, OutboxEntry)>();
        foreach (var simCase in Cases)
        {
            foreach (var grain in simCase.Grains)
            {
                HashSet<string>? targets = null;
                foreach (var entry in grain.Outbox)
                {
                    if (entry.Kind == OutboxKind.Mail && !grain.IsDelivered(entry.Sequence) && (targets ??= new(StringComparer.Ordinal)).Add(entry.Target!))
                    {
                        channels.Add((simCase, grain, entry));
                    }
                }
            }
        }

        return channels;
    }

    private List<(SimCase Case, ISimGrain Grain, OutboxEntry Entry)> PendingPublishes()
    {
        var pending = new List<(SimCase, ISimGrain, OutboxEntry)>();
        foreach (var simCase in Cases)
        {
            foreach (var grain in simCase.Grains)
            {
                foreach (var entry in grain.Outbox)
                {
                    if (entry.Kind == OutboxKind.Publish && !grain.IsDelivered(entry.Sequence))
                    {
                        pending.Add((simCase, grain, entry));
                    }
                }
            }
        }

        return pending;
    }

    /// <summary>Delivers the oldest mail of one channel: applied and acknowledged, applied but the acknowledgement lost (it comes again), lost in a receiver's crash, or lost on the way.</summary>
    private void DeliverMail(ref Choice choice)
    {
        var channels = MailChannels();
        if (channels.Count == 0)
        {
            return;
        }

        var (simCase, sender, entry) = choice.Of(channels);
        var fate = choice.Next(12);
        if (fate == 11)
        {
            Log(() => $"{Seconds} mail {sender.Key}#{entry.Sequence} -> {entry.Target} lost on the way");
            return;
        }

        var receiver = simCase.Grain(entry.Target!);
        var message = entry.Message!.ToMessage();
        if (fate < 9 && choice.OneIn(4))
        {
            DeliverGroup(simCase, receiver, channels, ref choice);
            return;
        }

        Apply(simCase, receiver, message, new Mail(sender.Key, entry.Sequence, message), crash: fate == 10);
        if (fate < 9)
        {
            sender.MarkDelivered(entry.Sequence);
        }
    }

    /// <summary>
    /// What reaches a grain while it writes a turn waits and is applied in its next write, as one group: here the
    /// oldest mail of every sender to <paramref name="receiver"/>, and maybe its earliest due deadline.
    /// </summary>
    private void DeliverGroup(SimCase simCase, ISimGrain receiver, List<(SimCase Case, ISimGrain Sender, OutboxEntry Entry)> channels, ref Choice choice)
    {
        var group = new List<Arrival>();
        var senders = new List<(ISimGrain Sender, long Sequence)>();
        foreach (var (_, sender, entry) in channels)
        {
            if (entry.Target == receiver.Key)
            {
                var message = entry.Message!.ToMessage();
                group.Add(new Arrival(message, new Mail(sender.Key, entry.Sequence, message)));
                senders.Add((sender, entry.Sequence));
            }
        }

        if (choice.OneIn(2) && EarliestDue(receiver) is { } due)
        {
            group.Add(new Arrival(due.Message.ToMessage(), Deadline: due));
        }

        Apply(simCase, receiver, group, crash: false);
        foreach (var (sender, sequence) in senders)
        {
            sender.MarkDelivered(sequence);
        }
    }

    /// <summary>Carries out one published entry: a ready notice, a cancel signal pushed to its agent, a release webhook or a kill hook.</summary>
    private void Publish(ref Choice choice)
    {
        var pending = PendingPublishes();
        if (pending.Count == 0)
        {
            return;
        }

        var (simCase, grain, entry) = choice.Of(pending);
        var payload = entry.Message!.ToMessage();
        var sender = grain.Key + "#" + entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var doneAgain = choice.OneIn(8);
        switch (payload)
        {
            case CancelSignalNotice signal:
                Log(() => $"{Seconds} signal pushed to {signal.AgentId} for {signal.TaskId} (level {signal.EscalationLevel})");
                if (signal.AgentId is { } agentId && Agents.Find(a => a.Id == agentId) is { } agent)
                {
                    agent.Signalled(simCase, signal.TaskId);
                    if (choice.OneIn(2))
                    {
                        Apply(simCase, simCase.Task(signal.TaskId), new CancelSignalPushed(agentId));
                    }
                }

                break;
            case ResourceReleaseRequest release:
                var outcome = choice.Next(10) switch
                {
                    < 5 => new ReleaseAttemptCompleted { ResourceId = release.ResourceId, Attempt = release.Attempt, Success = true, StatusCode = 204 },
                    < 7 => new ReleaseAttemptCompleted { ResourceId = release.ResourceId, Attempt = release.Attempt, StatusCode = 503 },
                    7 => new ReleaseAttemptCompleted { ResourceId = release.ResourceId, Attempt = release.Attempt, Error = "HttpRequestException: connection refused" },
                    _ => null,
                };
                if (outcome is null)
                {
                    Log(() => $"{Seconds} webhook of {release.ResourceId} (attempt {release.Attempt}) does not answer");
                    _hung.Add((simCase, grain, new Mail(sender, 1, new ReleaseAttemptCompleted { ResourceId = release.ResourceId, Attempt = release.Attempt, Success = choice.OneIn(2), StatusCode = 200 })));
                }
                else
                {
                    Apply(simCase, grain, outcome, new Mail(sender, 1, outcome));
                }

                break;
            case AgentKillRequest kill:
                var called = new KillHookCalled(choice.OneIn(2), 200, null);
                Apply(simCase, grain, called, new Mail(sender, 1, called));
                break;
        }

        if (!doneAgain)
        {
            grain.MarkDelivered(entry.Sequence);
        }
    }

    /// <summary>A webhook that did not answer in time answers after all (its attempt may long be counted as failed).</summary>
    private void AnswerHungWebhook(ref Choice choice)
    {
        if (_hung.Count == 0)
        {
            return;
        }

        var index = choice.Next(_hung.Count);
        var (simCase, grain, outcome) = _hung[index];
        _hung.RemoveAt(index);
        Apply(simCase, grain, outcome.Message, outcome);
    }

    private void AdvanceClock(ref Choice choice)
    {
        Now += TimeSpan.FromSeconds(choice.Of(ClockSteps));
        Log(() => $"{Seconds} clock");
    }

    /// <summary>Fires the earliest due deadline of one grain, as its timer or recovery reminder does, at whatever time it is now.</summary>
    private void FireDeadline(ref Choice choice)
    {
        var due = new List<(SimCase Case, ISimGrain Grain, Deadline Deadline)>();
        foreach (var simCase in Cases)
        {
            foreach (var grain in simCase.Grains)
            {
                if (EarliestDue(grain) is { } deadline)
                {
                    due.Add((simCase, grain, deadline));
                }
            }
        }

        if (due.Count == 0)
        {
            return;
        }

        var (c, g, d) = choice.Of(due);
        Apply(c, g, d.Message.ToMessage(), deadline: d, crash: choice.OneIn(16));
    }

    private Deadline? EarliestDue(ISimGrain grain)
    {
        Deadline? due = null;
        foreach (var deadline in grain.Deadlines)
        {
            if (deadline.DueAt <= Now && (due is null || deadline.DueAt < due.DueAt))
            {
                due = deadline;
            }
        }

        return due;
    }

    /// <summary>A grain's activation dies between turns: it forgets what it delivered, and webhooks it waits for answer no one.</summary>
    private void CrashGrain(ref Choice choice)
    {
        var grains = Cases.SelectMany(c => c.Grains.Select(g => (Case: c, Grain: g))).ToList();
        var (_, grain) = choice.Of(grains);
        grain.Crash();
        _hung.RemoveAll(h => h.Grain == grain);
        Log(() => $"{Seconds} {grain.Key} CRASH");
    }
}
