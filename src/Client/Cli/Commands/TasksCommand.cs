using System.CommandLine;
using Ripcord.Cli.Output;
using Ripcord.Client;

namespace Ripcord.Cli.Commands;

/// <summary><c>ripcord tasks cancel &lt;caseId&gt; &lt;taskId...&gt;</c> (Cancel Activity).</summary>
internal static class TasksCommand
{
    public static Command Create(CommandRunner runner)
    {
        var tasks = new Command("tasks", "Act on single tasks of a case");
        var caseId = new Argument<string>("caseId") { Description = "The case id" };
        var taskIds = new Argument<string[]>("taskId") { Description = "One or more task ids (node ids)", Arity = ArgumentArity.OneOrMore };
        var reason = new Option<string?>("--reason") { Description = "Why; recorded in the case's history" };
        var cancel = new Command("cancel", "Cancel tasks (Cancel Activity); the case follows each node's onCancel route") { caseId, taskIds, reason };
        cancel.SetAction(runner.Action(async (session, parse, cancellationToken) =>
        {
            var id = parse.GetRequiredValue(caseId);
            var ids = parse.GetRequiredValue(taskIds).Distinct(StringComparer.Ordinal).ToArray();
            var handle = session.Client.GetCase(id);
            var options = new CancelTaskOptions { Reason = parse.GetValue(reason) };
            var result = ids.Length == 1
                ? await handle.CancelTaskAsync(ids[0], options, cancellationToken).ConfigureAwait(false)
                : await handle.CancelTasksAsync(ids, options, cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(result);
            }
            else if (result.Tasks.Count > 0)
            {
                foreach (var outcome in result.Tasks)
                {
                    var status = Render.Status(outcome.Status);
                    session.WriteLine(outcome.AlreadyClosed
                        ? $"Task {outcome.TaskId} of case {id} had already ended ({status}); nothing changed."
                        : $"Cancel of task {outcome.TaskId} of case {id} accepted: {status}");
                }
            }
            else
            {
                var names = string.Join(", ", ids);
                session.WriteLine(result.AlreadyClosed
                    ? $"Task(s) {names} of case {id} had already ended; nothing changed."
                    : $"Cancel of task(s) {names} of case {id} accepted.");
            }

            return ExitCodes.Success;
        }));
        tasks.Subcommands.Add(cancel);
        return tasks;
    }
}
