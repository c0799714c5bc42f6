using Ripcord.Client.Models;
using Spectre.Console;

namespace Ripcord.Cli.Output;

/// <summary>The human-readable form of <c>ripcord cases show</c>.</summary>
internal static class CaseView
{
    public static void Write(CliSession session, CaseDescription description)
    {
        session.WriteLine($"Case     {description.CaseId}");
        session.WriteLine($"Process  {description.Process ?? "-"}");
        session.WriteLine($"Status   {Render.Status(description.Status)}");
        session.WriteLine($"Created  {Render.Time(description.CreatedAt)}");
        session.WriteLine($"Ended    {Render.Time(description.EndedAt)}");
        if (description.Cancel is { } cancel)
        {
            var reason = cancel.Reason is null ? string.Empty : $" reason=\"{cancel.Reason}\"";
            session.WriteLine($"Cancel   {Render.Status(cancel.Mode)} by {cancel.RequestedBy ?? "-"} at {Render.Time(cancel.RequestedAt)}{reason}");
        }

        if (description.RedactedAt is { } redactedAt)
        {
            session.WriteLine($"Redacted {Render.Time(redactedAt)} by {description.RedactedBy ?? "-"}: payloads erased, history kept with payloads redacted");
        }

        if (description.Measures is { } measures && (measures.Tasks.Count > 0 || measures.TimeToFullTerminationSeconds is not null))
        {
            var termination = measures.TimeToFullTerminationSeconds is { } seconds ? $"full termination in {Render.Number(seconds)} s, " : string.Empty;
            session.WriteLine($"Measures {termination}saved {measures.TokensSaved} tokens and {Render.Number(measures.GpuSecondsSaved)} GPU s, "
                + $"resources released {measures.ResourcesReleased}, orphaned {measures.ResourcesOrphaned}");
        }

        if (description.Output is not null)
        {
            session.WriteLine($"Output   {Render.Compact(description.Output)}");
        }

        if (description.Tasks.Count > 0)
        {
            var tasks = Render.Table("TASK", "STATUS", "AGENT", "ATTEMPT", "CANCEL", "TOKENS", "GPU S");
            foreach (var task in description.Tasks)
            {
                Render.Row(
                    tasks,
                    task.TaskId,
                    Render.Status(task.Status),
                    task.AgentId,
                    task.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    DescribeCancel(task.Cancel),
                    task.Usage?.Tokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    task.Usage is null ? null : Render.Number(task.Usage.GpuSeconds));
            }

            session.WriteLine(string.Empty);
            session.Console.Write(tasks);
        }

        if (description.Resources.Count > 0)
        {
            var resources = Render.Table("RESOURCE", "KIND", "TASK", "STATUS");
            foreach (var resource in description.Resources)
            {
                Render.Row(resources, resource.ResourceId, resource.Kind, resource.TaskId, Render.Status(resource.Status));
            }

            session.WriteLine(string.Empty);
            session.Console.Write(resources);
        }

        if (description.History.Count > 0)
        {
            var history = Render.Table("AT", "EVENT", "ACTOR", "TASK", "REASON");
            foreach (var entry in description.History)
            {
                Render.Row(history, Render.Time(entry.At), entry.Type, entry.Actor, entry.TaskId, entry.Reason);
            }

            session.WriteLine(string.Empty);
            session.Console.Write(history);
        }
    }

    private static string DescribeCancel(TaskCancelState? cancel)
    {
        if (cancel is null)
        {
            return "-";
        }

        var state = cancel.AckedAt is not null ? "acked" : "waiting for ack";
        if (cancel.Fenced)
        {
            state += ", fenced";
        }

        return cancel.EscalationLevel > 0 ? $"{state}, escalation {cancel.EscalationLevel}" : state;
    }
}
