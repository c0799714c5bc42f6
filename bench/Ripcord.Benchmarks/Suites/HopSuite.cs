using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ripcord.Benchmarks.Hop;
using Ripcord.Benchmarks.Infrastructure;
using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Tasks;
using Ripcord.Grains.Storage;
using Ripcord.Grains.Storage.InMemory;

namespace Ripcord.Benchmarks.Suites;

/// <summary>
/// One outbox mail from one durable grain to another, applied, against a bare Orleans grain-to-grain call. An
/// in-process silo (no HTTP) with Ripcord's grains and in-memory stores; a grain call filter stamps when each watched
/// call enters its grain and when its turn is done.
/// </summary>
internal static class HopSuite
{
    private const string AgentType = "bench-hop";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Arguments args)
    {
        var hops = args.Int("--hops", 2000);
        var warmup = args.Int("--warmup", 300);
        var report = new Report("hop", "Grain hop: Ripcord's durable outbox mail vs a bare Orleans grain call", args.Raw);

        var probe = new HopProbe();
        var turns = args.Flag("--turns") ? new TurnTally() : null;
        var builder = Host.CreateApplicationBuilder();
        BenchSilo.QuietLogging(builder.Logging);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(Ports.Free(), Ports.Free());
            silo.AddRipcordGrains();
            silo.UseRipcordInMemoryStores();
            silo.AddIncomingGrainCallFilter(probe);
            if (turns is not null)
            {
                silo.AddIncomingGrainCallFilter(turns);
            }
        });
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        var bare = new Samples("**floor: bare Orleans call** (A's turn starts -> B's turn done)");
        var stored = new Samples("floor: Orleans call, `WriteStateAsync` on each side (same memory storage)");
        var cancelHop = new Samples("**Ripcord: Cancel Activity -> `CancelTask` applied** (case grain -> task grain)");
        var cancelSender = new Samples("  of which: the case grain's turn (until it answers)");
        var cancelArrival = new Samples("  of which: turn start -> mail enters the task grain");
        var cancelReceiver = new Samples("  of which: the task grain's turn applying it");
        var endHop = new Samples("**Ripcord: AckCancel -> `TaskEnded` applied** (task grain -> case grain)");
        var endSender = new Samples("  of which: the task grain's turn (until it answers)");
        var endArrival = new Samples("  of which: turn start -> mail enters the case grain");
        var endReceiver = new Samples("  of which: the case grain's turn applying it");
        var startHop = new Samples("Ripcord: Start -> `StartTask` applied (case grain -> new task grain, activation included)");

        var definition = new ProcessDefinition
        {
            Name = AgentType,
            HeartbeatSeconds = 30,
            Nodes = [new NodeDefinition { Id = "work", Agent = AgentType }],
        };
        var floorA = grains.GetGrain<IFloorGrain>("floor-a");
        var storedA = grains.GetGrain<IFloorGrain>("floor-stored-a");
        Console.Error.WriteLine($"hop: {warmup} warm-up + {hops} rounds");
        try
        {
            for (var i = 0; i < warmup + hops; i++)
            {
                var measured = i >= warmup;
                turns?.Enabled = measured;

                // Floors, on warm activations (as the task and case grains are when their mail arrives).
                var a = probe.Expect("floor-a", nameof(IFloorGrain.Relay));
                var b = probe.Expect("floor-b", nameof(IFloorGrain.Ping));
                await floorA.Relay("floor-b");
                await b.Done.Task.WaitAsync(Patience);
                Record(measured, bare, a.Entered, b.Exited);

                a = probe.Expect("floor-stored-a", nameof(IFloorGrain.RelayStored));
                b = probe.Expect("floor-stored-b", nameof(IFloorGrain.Store));
                await storedA.RelayStored("floor-stored-b");
                await b.Done.Task.WaitAsync(Patience);
                Record(measured, stored, a.Entered, b.Exited);

                // Ripcord: a fresh case of one task, claimed, cancelled, acknowledged.
                var caseId = $"hop-{i}";
                var caseKey = GrainKeys.Case(caseId);
                var taskKey = GrainKeys.Task(caseId, "work");
                var caseGrain = grains.GetGrain<ICaseGrain>(caseKey);
                var taskGrain = grains.GetGrain<ITaskGrain>(taskKey);

                var sent = probe.Expect(caseKey, nameof(ICaseGrain.Start));
                var applied = probe.Expect(taskKey, nameof(StartTask));
                var start = await caseGrain.Start(new StartCase { Definition = definition, StartedBy = "bench" });
                Check(start.Status == CommandStatus.Created, $"start of {caseId}: {start.Status}");
                await applied.Done.Task.WaitAsync(Patience);
                Record(measured, startHop, sent.Entered, applied.Exited);

                var claim = await taskGrain.Claim(new ClaimTask { AgentId = "bench-hop-agent" });
                Check(claim.Status == CommandStatus.Ok, $"claim of {caseId}: {claim.Status} {claim.Error}");

                sent = probe.Expect(caseKey, nameof(ICaseGrain.CancelActivity));
                applied = probe.Expect(taskKey, nameof(CancelTask));
                var cancel = await caseGrain.CancelActivity(new CancelActivity { TaskIds = ["work"], RequestedBy = "bench", HasAdminRole = true });
                Check(cancel.Status == CommandStatus.Accepted, $"cancel of {caseId}: {cancel.Status} {cancel.Error}");
                await applied.Done.Task.WaitAsync(Patience);
                Split(measured, sent, applied, cancelHop, cancelSender, cancelArrival, cancelReceiver);

                sent = probe.Expect(taskKey, nameof(ITaskGrain.AckCancel));
                applied = probe.Expect(caseKey, nameof(TaskEnded));
                var ack = await taskGrain.AckCancel(new AckCancel { LeaseToken = claim.LeaseToken! });
                Check(ack.Status == CommandStatus.Ok, $"ack of {caseId}: {ack.Status} {ack.Error}");
                await applied.Done.Task.WaitAsync(Patience);
                Split(measured, sent, applied, endHop, endSender, endArrival, endReceiver);
            }
        }
        catch
        {
            await host.StopAsync();
            throw;
        }

        turns?.Enabled = false;

        // What the last case's grains write on each of their turns.
        var lastCase = $"hop-{warmup + hops - 1}";
        var caseRecord = await RecordCost.MeasureAsync<CaseState>(host.Services, grains.GetGrain<ICaseGrain>(GrainKeys.Case(lastCase)).GetGrainId(), RipcordStorage.CaseState);
        var taskRecord = await RecordCost.MeasureAsync<TaskState>(host.Services, grains.GetGrain<ITaskGrain>(GrainKeys.Task(lastCase, "work")).GetGrainId(), RipcordStorage.TaskState);
        var floorRecord = FloorRecordBytes(host.Services);
        await host.StopAsync();

        report.Paragraph($$"""
            What is measured: an in-process silo (`Host.CreateApplicationBuilder().UseOrleans(...)` with
            `AddRipcordGrains` and `UseRipcordInMemoryStores`, localhost clustering, no HTTP), driven through its own
            grain factory. An incoming grain call filter stamps when a watched call enters its grain and when that grain's
            turn is done; a hop runs from the sending grain's turn starting to the receiving grain's turn being done.
            One hop at a time; {{hops}} rounds after {{warmup}} warm-up rounds. Each round:

            - Floor: grain A's method calls grain B's empty method (`IFloorGrain`, defined in the bench project); both
              activations warm. The second floor does the same with one `WriteStateAsync` on each side, in the same
              Orleans memory storage and System.Text.Json serializer Ripcord's grains use.
            - Ripcord: a fresh case of one task is started (its `StartTask` mail activates the task grain), the task is
              claimed, then Cancel Activity: the case grain's turn decides, writes its state with the outbox entry,
              appends history and the index row, answers, and its outbox flush delivers the `CancelTask` mail to the task
              grain, whose turn applies it (sequence check, decide, state write, history; it is done once the mail is
              durable). Then the agent's acknowledgement on the task grain sends `TaskEnded` back the same way.
            """);
        var rows = new[] { bare, stored, cancelHop, cancelSender, cancelArrival, cancelReceiver, endHop, endSender, endArrival, endReceiver, startHop }
            .Select(s => s.Summarize()).ToArray();
        report.Table(Summary.MicrosecondsHeader, rows.Select(r => r.MicrosecondsRow()));
        var floor = rows[0];
        var write = rows[1];
        var cancelRow = rows[2];
        var endRow = rows[6];
        report.Paragraph($"""
            Ripcord hop / bare Orleans call (p50), goal <= 5x: Cancel Activity -> `CancelTask` {CancelSuite.Ratio(cancelRow.P50, floor.P50)}
            ({CancelSuite.Verdict(cancelRow.P50 <= 5 * floor.P50)}); AckCancel -> `TaskEnded` {CancelSuite.Ratio(endRow.P50, floor.P50)}
            ({CancelSuite.Verdict(endRow.P50 <= 5 * floor.P50)}). At p99: {CancelSuite.Ratio(cancelRow.P99, floor.P99)} and
            {CancelSuite.Ratio(endRow.P99, floor.P99)}. Against the floor with a state write on each side (p50):
            {CancelSuite.Ratio(cancelRow.P50, write.P50)} and {CancelSuite.Ratio(endRow.P50, write.P50)}.
            """);
        report.Paragraph($"""
            What each Ripcord turn writes (the last round's grains, read back from the memory storage after the run and
            serialized again with the silo's grain storage serializer, as each of their turns does): case grain
            {caseRecord}; task grain {taskRecord}. The floor grain's state is {floorRecord} bytes.
            """);
        if (turns is not null)
        {
            report.Heading("Diagnostics: grain calls per round (`--turns`)");
            report.Paragraph("""
                Every grain call of the measured rounds (floors included), per round, from a second incoming grain call
                filter (which adds a little to every call): how long each took from entering its grain until its turn was
                done, waiting included. Calls from the suite itself (Start, Claim, Cancel Activity, AckCancel) are listed too.
                """);
            report.Table(TurnTally.Header, turns.Rows(hops));
        }

        await report.PublishAsync(!args.Flag("--no-write"));
    }

    private static int FloorRecordBytes(IServiceProvider services) =>
        services.GetRequiredService<Orleans.Storage.IGrainStorageSerializer>().Serialize(new FloorState { Writes = 1 }).ToMemory().Length;

    private static void Split(bool measured, Watch sent, Watch applied, Samples hop, Samples sender, Samples arrival, Samples receiver)
    {
        Check(sent.Entered != 0 && applied.Entered != 0, "a watched call was not seen");
        Record(measured, hop, sent.Entered, applied.Exited);
        Record(measured, sender, sent.Entered, sent.Exited);
        Record(measured, arrival, sent.Entered, applied.Entered);
        Record(measured, receiver, applied.Entered, applied.Exited);
    }

    private static void Record(bool measured, Samples samples, long start, long end)
    {
        if (measured)
        {
            samples.Add(start, end);
        }
    }

    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }
}
