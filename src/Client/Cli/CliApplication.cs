using System.CommandLine;
using Ripcord.Cli.Commands;

namespace Ripcord.Cli;

/// <summary>The <c>ripcord</c> command line, runnable in process (tests pass their own writers and environment).</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var globals = new GlobalOptions(environment);
        var runner = new CommandRunner(globals, output, error);
        var root = new RootCommand("ripcord: start, watch and cancel Ripcord cases from the command line.");
        root.Options.Add(globals.Server);
        root.Options.Add(globals.ApiKey);
        root.Options.Add(globals.Json);
        root.Subcommands.Add(CasesCommand.Create(runner));
        root.Subcommands.Add(TasksCommand.Create(runner));
        root.Subcommands.Add(ProcessesCommand.Create(runner));
        root.Subcommands.Add(WhoAmICommand.Create(runner));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync("ripcord: " + string.Join(" ", parse.Errors.Select(e => e.Message))).ConfigureAwait(false);
            await error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }

    private static string CommandPath(ParseResult parse)
    {
        List<string> names = [];
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            // The root's name is the executable's file name, which differs between the tool and tests.
            names.Insert(0, result.Parent is null ? "ripcord" : result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
