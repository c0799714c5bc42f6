using System.Text.Json;
using Ripcord.Client.Agents;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// <c>founder-checker</c>: background checks on every founder (professional history, company records, public
/// records). Cooperative: it stops when its token fires, and the SDK acknowledges with the checks done so far.
/// </summary>
internal sealed class FounderCheckerAgent(SampleAgentsOptions options, TimeProvider time) : IRipcordAgent
{
    public const string Type = "founder-checker";

    private static readonly string[] Sources = ["LinkedIn", "Crunchbase", "public records"];

    public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var company = SampleData.Text(context.Input, "company", "the applicant");
        var founders = SampleData.Strings(context.Input, "founders") is { Count: > 0 } named ? named : ["the founding team"];
        var random = SampleData.RandomFor(context.CaseId + company + Type);
        var steps = founders.Count * Sources.Length;
        var tick = SampleData.Step(options.FounderChecker.Duration, steps);
        var dossier = new List<object>();
        context.ReportEstimate(tokens: steps * 700, gpuSeconds: steps * 0.9);

        // Sent now rather than with the first periodic heartbeat, so a cancel in the first seconds still counts the
        // compute it saves.
        await context.HeartbeatAsync(cancellationToken);

        var done = 0;
        var followUps = 0;
        foreach (var founder in founders)
        {
            var checks = new List<object>();
            foreach (var source in Sources)
            {
                await Task.Delay(tick, time, cancellationToken);
                var followUp = random.Next(10) == 0;
                followUps += followUp ? 1 : 0;
                checks.Add(new { source, result = followUp ? "needs a follow-up call" : "consistent with the application" });
                context.AddUsage(tokens: 650 + random.Next(0, 101), gpuSeconds: 0.9);
                context.ReportProgress(++done / (double)steps);
                context.SaveCheckpoint(new { company, checksDone = done, checksPlanned = steps, dossier = dossier.Append(new { name = founder, checks }).ToArray() });
            }

            dossier.Add(new { name = founder, yearsOfExperience = random.Next(4, 21), previousExits = random.Next(0, 3), checks });
        }

        return SampleData.Json(new
        {
            kind = "founder-dossier",
            company,
            founders = dossier,
            redFlags = 0,
            followUps,
            summary = $"{founders.Count} founder(s) checked against {Sources.Length} sources each; nothing contradicts the application"
                + (followUps == 0 ? "." : $"; {followUps} point(s) need a follow-up call."),
        });
    }
}
