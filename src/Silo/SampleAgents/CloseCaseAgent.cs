using System.Text.Json;
using Ripcord.Client.Agents;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// <c>close-case</c>: consolidates the three analyses (the <c>analyses</c> join's output, keyed by node) into an
/// investment committee brief. Runs only on the normal path; a withdrawn case never reaches it.
/// </summary>
internal sealed class CloseCaseAgent(SampleAgentsOptions options, TimeProvider time) : IRipcordAgent
{
    public const string Type = "close-case";

    public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var market = SampleData.Property(context.Input, "market");
        var founders = SampleData.Property(context.Input, "founders");
        var financials = SampleData.Property(context.Input, "financials");
        var company = SampleData.Text(market, "company", SampleData.Text(financials, "company", "the applicant"));

        context.ReportEstimate(tokens: 900, gpuSeconds: 2);
        await Task.Delay(options.CloseCase.Duration, time, cancellationToken);
        context.ReportUsage(tokens: 880, gpuSeconds: 2);

        // A task this short ends before the first periodic heartbeat; send one so its usage is on record.
        await context.HeartbeatAsync(cancellationToken);

        var tam = SampleData.Property(market, "tamUsdBillions") is { ValueKind: JsonValueKind.Number } t ? t.GetInt32() : 0;
        var runway = SampleData.Property(financials, "runwayMonths") is { ValueKind: JsonValueKind.Number } r ? r.GetInt32() : 0;
        var followUps = SampleData.Property(founders, "followUps") is { ValueKind: JsonValueKind.Number } f ? f.GetInt32() : 0;

        return SampleData.Json(new
        {
            kind = "ic-brief",
            company,
            recommendation = tam >= 20 && runway >= 18 ? "advance to partner meeting" : "advance with conditions",
            highlights = new[]
            {
                $"Market: {SampleData.Text(market, "timing", "timing unclear")}, TAM about ${tam}B",
                $"Founders: {SampleData.Text(founders, "summary", "no dossier")}",
                $"Financials: {runway} months of runway at plan",
            },
            openQuestions = followUps > 0 ? new[] { $"{followUps} founder check(s) need a follow-up call" } : [],
            sources = new[] { "market", "founders", "financials" }.Where(s => SampleData.Property(context.Input, s) is not null).ToArray(),
            preparedAt = time.GetUtcNow(),
        });
    }
}
