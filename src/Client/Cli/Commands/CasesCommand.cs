using System.CommandLine;
using System.Text.Json;
using Ripcord.Cli.Output;
using Ripcord.Client;
using Ripcord.Client.Models;
using Spectre.Console;

namespace Ripcord.Cli.Commands;

/// <summary><c>ripcord cases list|show|start|cancel|confirm|override|purge|watch</c>.</summary>
internal static class CasesCommand
{
    public static Command Create(CommandRunner runner)
    {
        var cases = new Command("cases", "List, inspect, start, watch and cancel cases");
        cases.Subcommands.Add(List(runner));
        cases.Subcommands.Add(Show(runner));
        cases.Subcommands.Add(Start(runner));
        cases.Subcommands.Add(Cancel(runner));
        cases.Subcommands.Add(Confirm(runner));
        cases.Subcommands.Add(Override(runner));
        cases.Subcommands.Add(Purge(runner));
        cases.Subcommands.Add(Watch(runner));
        return cases;
    }

    private static Argument<string> CaseIdArgument() => new("caseId") { Description = "The case id" };

    private static Command List(CommandRunner runner)
    {
        var status = new Option<string?>("--status") { Description = "Only cases in this status (running, completed, failed, cancel_pending, cancelling, force_cancelling, cancelled)" };
        status.AcceptOnlyFromAmong("running", "completed", "failed", "cancel_pending", "cancelling", "force_cancelling", "cancelled");
        var process = new Option<string?>("--process") { Description = "Only cases of this process" };
        var limit = new Option<int?>("--limit") { Description = "Page size" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--limit must be at least 1.");
            }
        });
        var after = new Option<string?>("--after") { Description = "Cursor from the previous page" };
        var command = new Command("list", "List cases") { status, process, limit, after };
        command.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            var options = new ListCasesOptions
            {
                Status = parse.GetValue(status) is { } text ? JsonSerializer.Deserialize<CaseStatus>($"\"{text}\"") : null,
                Process = parse.GetValue(process),
                Limit = parse.GetValue(limit),
                After = parse.GetValue(after),
            };
            var page = await session.Client.ListCasesAsync(options, cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(page);
                return ExitCodes.Success;
            }

            if (page.Cases.Count == 0)
            {
                session.WriteLine("No cases.");
                return ExitCodes.Success;
            }

            var table = Render.Table("CASE", "PROCESS", "STATUS", "CREATED", "ENDED");
            foreach (var summary in page.Cases)
            {
                Render.Row(table, summary.CaseId, summary.Process, Render.Status(summary.Status), Render.Time(summary.CreatedAt), Render.Time(summary.EndedAt));
            }

            session.Console.Write(table);
            if (page.Next is not null)
            {
                session.WriteLine($"More: ripcord cases list --after {page.Next}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show(CommandRunner runner)
    {
        var caseId = CaseIdArgument();
        var command = new Command("show", "Show a case: status, tasks, resources and history") { caseId };
        command.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            var description = await session.Client.GetCase(parse.GetRequiredValue(caseId)).DescribeAsync(cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(description);
                return ExitCodes.Success;
            }

            CaseView.Write(session, description);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Start(CommandRunner runner)
    {
        var process = new Argument<string>("process") { Description = "The process to run, e.g. report" };
        var caseId = new Option<string?>("--case-id") { Description = "The case id (starting an existing id returns that case)" };
        var input = new Option<string?>("--input") { Description = "The case input as JSON, e.g. '{\"topic\":\"GPUs\"}'" };
        var inputFile = new Option<FileInfo?>("--input-file") { Description = "Read the case input from a JSON file" };
        var admins = new Option<string[]>("--admin") { Description = "A principal who may also cancel the case (repeatable)", AllowMultipleArgumentsPerToken = false };
        var hold = new Option<double?>("--hold") { Description = "Confirmation hold in seconds for cancels of this case" };
        NonNegative(hold);
        var command = new Command("start", "Start a case") { process, caseId, input, inputFile, admins, hold };
        command.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            if (parse.GetValue(input) is not null && parse.GetValue(inputFile) is not null)
            {
                throw new CliUsageException("give the input with --input or --input-file, not both.");
            }

            JsonElement? inputJson = parse.GetValue(inputFile) is { } file
                ? JsonFiles.Read(file)
                : parse.GetValue(input) is { } text ? JsonFiles.Parse(text, "--input") : null;
            var options = new StartCaseOptions
            {
                Process = parse.GetRequiredValue(process),
                CaseId = parse.GetValue(caseId),
                Input = inputJson,
                Admins = parse.GetValue(admins) is { Length: > 0 } list ? list : null,
                Cancel = parse.GetValue(hold) is { } seconds ? new CancelDefaults { HoldSeconds = seconds } : null,
            };
            var handle = await session.Client.StartCaseAsync(options, cancellationToken).ConfigureAwait(false);
            var result = handle.StartResult!;
            if (session.Json)
            {
                session.WriteJson(result);
            }
            else
            {
                session.WriteLine(result.Created
                    ? $"Started case {result.CaseId} ({options.Process}): {Render.Status(result.Status)}"
                    : $"Case {result.CaseId} already exists: {Render.Status(result.Status)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Cancel(CommandRunner runner)
    {
        var caseId = CaseIdArgument();
        var force = new Option<bool>("--force") { Description = "Force: fence every task at once (escalates a case already cancelling)" };
        var hold = new Option<double?>("--hold") { Description = "Confirmation hold in seconds before the cancel runs" };
        NonNegative(hold);
        var grace = new Option<double?>("--grace") { Description = "Grace period in seconds for a standard cancel" };
        NonNegative(grace);
        var reason = new Option<string?>("--reason") { Description = "Why; recorded in the case's history" };
        var command = new Command("cancel", "Cancel a case") { caseId, force, hold, grace, reason };
        command.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            var id = parse.GetRequiredValue(caseId);
            var result = await session.Client.GetCase(id).CancelAsync(new CancelOptions
            {
                Mode = parse.GetValue(force) ? CancelMode.Force : CancelMode.Standard,
                HoldSeconds = parse.GetValue(hold),
                GracePeriodSeconds = parse.GetValue(grace),
                Reason = parse.GetValue(reason),
            }, cancellationToken).ConfigureAwait(false);
            WriteCancelResult(session, id, result, "Cancel of case {0} accepted: {1}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Confirm(CommandRunner runner)
    {
        var caseId = CaseIdArgument();
        var command = new Command("confirm", "Run a cancel that waits in its confirmation hold now") { caseId };
        command.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            var id = parse.GetRequiredValue(caseId);
            var result = await session.Client.GetCase(id).ConfirmCancelAsync(null, cancellationToken).ConfigureAwait(false);
            WriteCancelResult(session, id, result, "Cancel of case {0} confirmed: {1}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Override(CommandRunner runner)
    {
        var caseId = CaseIdArgument();
        var reason = new Option<string?>("--reason") { Description = "Why the cancel is withdrawn" };
        var command = new Command("override", "Withdraw a cancel during its confirmation hold; the case runs on") { caseId, reason };
        command.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            var id = parse.GetRequiredValue(caseId);
            var result = await session.Client.GetCase(id).OverrideCancelAsync(new OverrideCancelOptions { Reason = parse.GetValue(reason) }, cancellationToken).ConfigureAwait(false);
            WriteCancelResult(session, id, result, "Cancel of case {0} withdrawn: {1}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Purge(CommandRunner runner)
    {
        var caseId = CaseIdArgument();
        var reason = new Option<string?>("--reason") { Description = "Why; recorded in the case's history" };
        var command = new Command("purge", "Erase an ended case's payloads now (admin); its history keeps every event, payloads redacted") { caseId, reason };
        command.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            var id = parse.GetRequiredValue(caseId);
            var result = await session.Client.GetCase(id).PurgeAsync(new PurgeOptions { Reason = parse.GetValue(reason) }, cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(result);
            }
            else
            {
                session.WriteLine($"Case {id} redacted at {Render.Time(result.RedactedAt)} by {result.RedactedBy}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Watch(CommandRunner runner)
    {
        var caseId = CaseIdArgument();
        var from = new Option<string?>("--from") { Description = "Resume after this event id" };
        var command = new Command("watch", "Stream a case's history as it happens, until the case closes (Ctrl+C to stop)") { caseId, from };
        command.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            var options = new WatchOptions { LastEventId = parse.GetValue(from) };
            await foreach (var caseEvent in session.Client.GetCase(parse.GetRequiredValue(caseId)).WatchAsync(options, cancellationToken).ConfigureAwait(false))
            {
                if (session.Json)
                {
                    session.WriteJsonLine(caseEvent);
                }
                else
                {
                    var task = caseEvent.TaskId is null ? string.Empty : $" task={caseEvent.TaskId}";
                    var reason = caseEvent.Reason is null ? string.Empty : $" reason=\"{caseEvent.Reason}\"";
                    var detail = caseEvent.Detail is null ? string.Empty : " " + Render.Compact(caseEvent.Detail);
                    session.WriteLine($"{Render.Time(caseEvent.At)}  {caseEvent.Type,-22} {caseEvent.Actor ?? "-"}{task}{reason}{detail}");
                }

                await session.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteCancelResult(CliSession session, string caseId, CancelResult result, string acceptedFormat)
    {
        if (session.Json)
        {
            session.WriteJson(result);
        }
        else if (result.AlreadyClosed)
        {
            session.WriteLine($"Case {caseId} was already closed ({Render.Status(result.Status)}); nothing changed.");
        }
        else
        {
            session.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, acceptedFormat, caseId, Render.Status(result.Status)));
            if (result.Status == CaseStatus.CancelPending)
            {
                session.WriteLine($"The cancel waits in its confirmation hold: 'ripcord cases confirm {caseId}' runs it now, 'ripcord cases override {caseId}' withdraws it.");
            }
        }
    }

    internal static void NonNegative(Option<double?> option) =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is < 0)
            {
                result.AddError($"{option.Name} cannot be negative.");
            }
        });
}
