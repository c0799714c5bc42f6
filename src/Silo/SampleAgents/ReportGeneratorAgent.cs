using System.Text.Json;
using Ripcord.Client.Agents;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// <c>report-generator</c>: writes a long report section by section, reporting tokens and an estimate as it goes. It
/// is cooperative: when its token fires it stops at once, and the SDK acknowledges with the draft saved so far, which
/// the <c>onCancel</c> fallback (quick-summary) receives as its checkpoint.
/// </summary>
internal sealed class ReportGeneratorAgent(SampleAgentsOptions options, TimeProvider time) : IRipcordAgent
{
    public const string Type = "report-generator";

    private const int TicksPerSection = 4;
    private const int TokensPerSection = 1600;

    private static readonly string[] Outline =
    [
        "Executive summary", "Market context", "Price history", "Supply and demand drivers",
        "Key players", "Risks", "Outlook", "Recommendations",
    ];

    public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var topic = SampleData.Text(context.Input, "topic", "the requested topic");
        var scope = SampleData.Text(context.Input, "scope", "comprehensive");
        var random = SampleData.RandomFor(context.CaseId + topic);
        var tick = SampleData.Step(options.ReportGenerator.Duration, Outline.Length * TicksPerSection);
        var sections = new List<object>();
        long tokens = 0;

        context.ReportEstimate(tokens: Outline.Length * TokensPerSection, gpuSeconds: Outline.Length * TokensPerSection / 400.0);

        // Sent now rather than with the first periodic heartbeat, so a cancel in the first seconds still counts the
        // compute it saves.
        await context.HeartbeatAsync(cancellationToken);

        // Saved before any work, so even a cancel in the first seconds hands the fallback the plan.
        context.SaveCheckpoint(Draft(topic, sections, tokens));

        for (var section = 0; section < Outline.Length; section++)
        {
            for (var t = 0; t < TicksPerSection; t++)
            {
                await Task.Delay(tick, time, cancellationToken);
                var produced = TokensPerSection / TicksPerSection + random.Next(-40, 41);
                tokens += produced;
                context.AddUsage(tokens: produced, gpuSeconds: produced / 400.0);
                context.ReportProgress((section * TicksPerSection + t + 1.0) / (Outline.Length * TicksPerSection));
            }

            sections.Add(new { heading = Outline[section], body = Body(Outline[section], topic, random) });
            context.SaveCheckpoint(Draft(topic, sections, tokens));
            context.SaveSnapshot(new { stage = "drafting", lastSection = Outline[section], tokens });
        }

        return SampleData.Json(new
        {
            kind = "report",
            topic,
            scope,
            title = $"{topic}: a {scope} analysis",
            sections,
            tokens,
            generatedAt = time.GetUtcNow(),
        });
    }

    private static object Draft(string topic, List<object> sections, long tokens) => new
    {
        topic,
        outline = Outline,
        sectionsDone = sections.Count,
        sections = sections.ToArray(),
        draftTokens = tokens,
    };

    private static string Body(string heading, string topic, Random random) => heading switch
    {
        "Executive summary" => $"{topic} moved {random.Next(4, 19)}% over the last four quarters; the drivers below explain most of it.",
        "Market context" => $"Demand related to {topic} grew in {random.Next(3, 9)} of the {random.Next(9, 13)} regions tracked.",
        "Price history" => $"Prices peaked {random.Next(2, 7)} quarters ago and have since retraced {random.Next(5, 25)}%.",
        "Supply and demand drivers" => $"New capacity of about {random.Next(10, 40)}% is due within 18 months, mostly from two suppliers.",
        "Key players" => $"The top {random.Next(3, 6)} vendors hold {random.Next(55, 85)}% of the market.",
        "Risks" => "Export controls, concentration of supply and a demand pull-back are the main risks.",
        "Outlook" => $"We expect {topic} to stabilize within a {random.Next(5, 12)}% band next year.",
        _ => "Stagger purchases, prefer shorter commitments and revisit the analysis each quarter.",
    };
}
