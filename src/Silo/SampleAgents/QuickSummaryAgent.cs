using System.Text.Json;
using Ripcord.Client.Agents;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// <c>quick-summary</c>: the report's fallback, started when the generator is cancelled. It answers within seconds
/// from the original request and, when there is one, the generator's checkpoint (the sections drafted so far).
/// </summary>
internal sealed class QuickSummaryAgent(SampleAgentsOptions options, TimeProvider time) : IRipcordAgent
{
    public const string Type = "quick-summary";

    private const int Ticks = 3;

    public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var topic = SampleData.Text(context.Input, "topic", "the requested topic");
        var checkpoint = context.Checkpoint is { ValueKind: JsonValueKind.Object } c ? c : (JsonElement?)null;
        var drafted = SampleData.Property(checkpoint, "sections") is { ValueKind: JsonValueKind.Array } sections
            ? sections.EnumerateArray().Select(s => new { heading = SampleData.Text(s, "heading", "section"), body = SampleData.Text(s, "body", "") }).ToList()
            : [];
        var draftTokens = SampleData.Property(checkpoint, "draftTokens") is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : 0;

        context.ReportEstimate(tokens: 450, gpuSeconds: 1.1);
        var tick = SampleData.Step(options.QuickSummary.Duration, Ticks);
        for (var t = 0; t < Ticks; t++)
        {
            await Task.Delay(tick, time, cancellationToken);
            context.AddUsage(tokens: 150, gpuSeconds: 0.37);
            context.ReportProgress((t + 1.0) / Ticks);
        }

        // A task this short ends before the first periodic heartbeat; send one so its usage is on record.
        await context.HeartbeatAsync(cancellationToken);

        var summary = drafted.Count == 0
            ? $"Quick summary of {topic}: the full report was stopped before its first section, so this rests on the request alone. "
              + "Expect the main movements to come from supply, demand and a few dominant vendors; ask for the full report for figures."
            : $"Quick summary of {topic}, built on the {drafted.Count} section(s) the full report had drafted: "
              + string.Join(" ", drafted.Select(d => d.body));

        return SampleData.Json(new
        {
            kind = "quick-summary",
            topic,
            summary,
            basedOn = new
            {
                request = true,
                checkpoint = checkpoint is not null,
                sectionsDrafted = drafted.Count,
                draftTokens,
            },
            highlights = drafted.Select(d => d.heading).ToArray(),
            generatedAt = time.GetUtcNow(),
        });
    }
}
