using System.CommandLine;

namespace Ripcord.Cli;

/// <summary>Wraps each command's body: builds its session from the global options and turns failures into a message and an exit code.</summary>
internal sealed class CommandRunner(GlobalOptions globals, TextWriter output, TextWriter error)
{
    public GlobalOptions Globals => globals;

    public Func<ParseResult, CancellationToken, Task<int>> Action(Func<CliSession, ParseResult, CancellationToken, Task<int>> body) =>
        async (parse, cancellationToken) =>
        {
            Uri server;
            try
            {
                server = globals.ResolveServer(parse);
            }
            catch (CliUsageException exception)
            {
                await error.WriteLineAsync("ripcord: " + exception.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var apiKey = globals.ResolveApiKey(parse);
            using var session = new CliSession(server, apiKey, parse.GetValue(globals.Json), output);
            try
            {
                return await body(session, parse, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }
            catch (Exception exception)
            {
                var (message, exitCode) = ErrorReporter.Describe(exception, server, apiKey);
                await error.WriteLineAsync("ripcord: " + message).ConfigureAwait(false);
                return exitCode;
            }
        };
}
