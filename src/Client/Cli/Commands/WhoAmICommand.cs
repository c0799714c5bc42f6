using System.CommandLine;

namespace Ripcord.Cli.Commands;

/// <summary><c>ripcord whoami</c>: checks the server and key in one call.</summary>
internal static class WhoAmICommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("whoami", "Show the principal and roles of the API key (checks server and key)");
        command.SetAction(runner.Action(async (session, _, cancellationToken) =>
        {
            var identity = await session.Client.GetIdentityAsync(cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(identity);
            }
            else
            {
                var readOnly = identity.ReadOnly ? " (server is read-only)" : string.Empty;
                session.WriteLine($"{identity.Principal} at {session.Server}: {string.Join(", ", identity.Roles)}{readOnly}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
