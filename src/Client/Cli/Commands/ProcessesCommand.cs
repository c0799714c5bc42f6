using System.CommandLine;
using System.Text.Json;
using Ripcord.Cli.Output;

namespace Ripcord.Cli.Commands;

/// <summary><c>ripcord processes list|put &lt;file&gt;</c>.</summary>
internal static class ProcessesCommand
{
    public static Command Create(CommandRunner runner)
    {
        var processes = new Command("processes", "List and register process definitions");
        processes.Subcommands.Add(List(runner));
        processes.Subcommands.Add(Put(runner));
        return processes;
    }

    private static Command List(CommandRunner runner)
    {
        var command = new Command("list", "List registered processes");
        command.SetAction(runner.Action(async (session, _, cancellationToken) =>
        {
            var definitions = await session.Client.ListProcessesAsync(cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(definitions);
                return ExitCodes.Success;
            }

            if (definitions.Count == 0)
            {
                session.WriteLine("No processes.");
                return ExitCodes.Success;
            }

            var table = Render.Table("PROCESS", "NODES", "AGENTS", "ACK TIMEOUT", "GRACE", "HOLD");
            foreach (var definition in definitions)
            {
                var agents = string.Join(", ", definition.Nodes.Where(n => n.Agent is not null).Select(n => n.Agent).Distinct());
                Render.Row(
                    table,
                    definition.Name,
                    definition.Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    agents,
                    Seconds(definition.Cancel?.AckTimeoutSeconds),
                    Seconds(definition.Cancel?.GracePeriodSeconds),
                    Seconds(definition.Cancel?.HoldSeconds));
            }

            session.Console.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Put(CommandRunner runner)
    {
        var file = new Argument<FileInfo>("file") { Description = "A JSON process definition" };
        var name = new Option<string?>("--name") { Description = "Register under this name instead of the file's \"name\"" };
        var command = new Command("put", "Register or replace a process definition from a JSON file") { file, name };
        command.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            var definition = JsonFiles.Read(path);
            if (definition.ValueKind != JsonValueKind.Object)
            {
                throw new CliUsageException($"file '{path.FullName}' holds a JSON {definition.ValueKind.ToString().ToLowerInvariant()}, not a process definition object.");
            }

            var processName = parse.GetValue(name)
                ?? (definition.TryGetProperty("name", out var named) && named.ValueKind == JsonValueKind.String ? named.GetString() : null);
            if (string.IsNullOrWhiteSpace(processName))
            {
                throw new CliUsageException($"file '{path.FullName}' has no \"name\"; add one or pass --name.");
            }

            await session.Client.PutProcessAsync(processName, definition, cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(new { name = processName, registered = true });
            }
            else
            {
                session.WriteLine($"Process '{processName}' registered.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Seconds(double? seconds) => seconds is null ? "-" : Render.Number(seconds.Value) + " s";
}
