using System.Text.Json;
using Ripcord.Client;
using Ripcord.Client.Agents;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// <c>financial-modeler</c>: builds five-year projections from the submitted financials and comparables. By default
/// (<c>IgnoreCancel</c>) it behaves like the seed's modeler, a long external computation that does not listen for
/// cancellation: it keeps running after a cancel and then tries to deliver its output, which the server rejects as
/// late once the task was escalated and fenced. Only the silo shutting down stops it early.
/// </summary>
internal sealed partial class FinancialModelerAgent(
    SampleAgentsOptions options,
    RipcordClient client,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<FinancialModelerAgent> logger) : IRipcordAgent
{
    public const string Type = "financial-modeler";

    private const int Ticks = 20;

    public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var company = SampleData.Text(context.Input, "company", "the applicant");
        var random = SampleData.RandomFor(context.CaseId + company + Type);
        var ignore = options.FinancialModeler.IgnoreCancel;
        var token = cancellationToken;
        var tick = SampleData.Step(options.FinancialModeler.Duration, Ticks);
        context.ReportEstimate(tokens: Ticks * 300, gpuSeconds: options.FinancialModeler.Duration.TotalSeconds * 0.5);

        // Sent now rather than with the first periodic heartbeat, so a cancel in the first seconds still counts the
        // compute it saves.
        await context.HeartbeatAsync(cancellationToken);

        for (var t = 0; t < Ticks; t++)
        {
            try
            {
                await Task.Delay(tick, time, token);
            }
            catch (OperationCanceledException) when (ignore && context.CancelSignal is { } signal && token == cancellationToken)
            {
                // Deaf to the signal from here on; only the host stopping ends the computation.
                LogCancelIgnored(context.CaseId, context.TaskId, signal.Reason);
                token = lifetime.ApplicationStopping;
            }

            context.AddUsage(tokens: 280 + random.Next(0, 41), gpuSeconds: tick.TotalSeconds * 0.5);
            context.ReportProgress((t + 1.0) / Ticks);
        }

        var output = Model(company, random);
        if (context.CancelSignal is null)
        {
            return output;
        }

        await DeliverLateAsync(context, output);
        return null;
    }

    /// <summary>
    /// What the seed's modeler does after its computation: write the output as if nothing had happened. The SDK would
    /// acknowledge the cancel instead of completing, so the modeler calls the protocol itself with its lease.
    /// </summary>
    private async Task DeliverLateAsync(AgentContext context, JsonElement output)
    {
        // A heartbeat first, as the SDK's own loop would send: when the lease was revoked, the SDK learns it here and
        // sends nothing more for this task after the modeler returns.
        await context.HeartbeatAsync(CancellationToken.None);
        try
        {
            await client.CompleteTaskAsync(context.Task, output, CancellationToken.None);
            LogLateOutputAccepted(context.CaseId, context.TaskId);
        }
        catch (ConflictException e)
        {
            LogLateOutputRejected(context.CaseId, context.TaskId, e.Code, e.Detail);
        }
    }

    private static JsonElement Model(string company, Random random)
    {
        var revenue = random.Next(8, 40) / 10.0;
        var growth = 1.6 + random.NextDouble() * 0.8;
        var projections = new List<object>();
        for (var year = 1; year <= 5; year++)
        {
            var margin = -0.45 + year * 0.14;
            projections.Add(new { year = 2026 + year, revenueUsdMillions = Math.Round(revenue, 1), ebitdaMarginPercent = Math.Round(margin * 100) });
            revenue *= growth - year * 0.12;
        }

        return SampleData.Json(new
        {
            kind = "financial-model",
            company,
            currency = "USD",
            projections,
            runwayMonths = random.Next(14, 31),
            comparables = new[] { "Comparable A (EV/revenue 8.1x)", "Comparable B (EV/revenue 11.4x)", "Comparable C (EV/revenue 6.7x)" },
            valuationUsdMillions = new { low = random.Next(40, 80), high = random.Next(90, 160) },
        });
    }

    [LoggerMessage(SampleEventIds.CancelIgnored, LogLevel.Warning, "Financial modeler ignores the cancel of {CaseId}/{TaskId} ({Reason}) and keeps computing, as configured (Ripcord:SampleAgents:FinancialModeler:IgnoreCancel)")]
    private partial void LogCancelIgnored(string caseId, string taskId, string? reason);

    [LoggerMessage(SampleEventIds.LateOutputRejected, LogLevel.Information, "Financial modeler's late output for {CaseId}/{TaskId} was rejected ({Code}): {Detail}")]
    private partial void LogLateOutputRejected(string caseId, string taskId, string code, string? detail);

    [LoggerMessage(SampleEventIds.LateOutputAccepted, LogLevel.Information, "Financial modeler's output for {CaseId}/{TaskId} was accepted after its cancel")]
    private partial void LogLateOutputAccepted(string caseId, string taskId);
}
