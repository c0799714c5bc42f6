using System.Text.Json;
using Ripcord.Client.Agents;
using Ripcord.Client.Models;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// <c>market-researcher</c>: provisions a VM in the simulated cloud for its deep web search, registers it in the case's
/// resource registry with a release webhook, then researches TAM, competition and timing. It is cooperative: on a
/// cancel it stops and leaves the VM to the registry, which releases it through the webhook whether or not an
/// acknowledgement arrives. On success it frees the VM itself.
/// </summary>
internal sealed partial class MarketResearcherAgent(SampleAgentsOptions options, SimulatedCloudClient cloud, TimeProvider time, ILogger<MarketResearcherAgent> logger) : IRipcordAgent
{
    public const string Type = "market-researcher";
    public const string VmSize = "gpu-small";

    private const int Ticks = 30;

    private static readonly string[] Phases = ["sizing the market", "mapping competitors", "reading analyst notes", "judging market timing"];

    public async Task<JsonElement?> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var company = SampleData.Text(context.Input, "company", "the applicant");
        var sector = SampleData.Text(context.Input, "sector", "its sector");
        var random = SampleData.RandomFor(context.CaseId + company + Type);
        var vm = await ProvisionAsync(context);

        context.ReportEstimate(tokens: Ticks * 420, gpuSeconds: options.MarketResearcher.Duration.TotalSeconds);

        // Sent now rather than with the first periodic heartbeat, so a cancel in the first seconds still counts the
        // compute it saves.
        await context.HeartbeatAsync(cancellationToken);
        var tick = SampleData.Step(options.MarketResearcher.Duration, Ticks);
        var sources = 0;
        for (var t = 0; t < Ticks; t++)
        {
            await Task.Delay(tick, time, cancellationToken);
            sources += random.Next(1, 4);
            context.AddUsage(tokens: 400 + random.Next(0, 41), gpuSeconds: tick.TotalSeconds);
            context.ReportProgress((t + 1.0) / Ticks);
            var phase = Phases[t * Phases.Length / Ticks];
            context.SaveCheckpoint(new { company, phase, sourcesRead = sources });
            context.SaveSnapshot(new { phase, sourcesRead = sources, vm = vm.Id });
        }

        var tam = random.Next(8, 60);
        var output = SampleData.Json(new
        {
            kind = "market-analysis",
            company,
            sector,
            tamUsdBillions = tam,
            samUsdBillions = Math.Round(tam * (0.15 + random.NextDouble() * 0.2), 1),
            cagrPercent = random.Next(9, 31),
            competitors = new[] { $"{sector} incumbent A", $"{sector} challenger B", "an in-house build at large customers" }.Take(random.Next(2, 4)).ToArray(),
            timing = random.Next(2) == 0 ? "early but accelerating" : "in the main adoption wave",
            sourcesRead = sources,
            vm = vm.Id,
        });

        await cloud.ReleaseVmAsync(vm.Id, CancellationToken.None);
        await context.ReleaseResourceAsync(vm.Id, CancellationToken.None);
        LogVmReleased(vm.Id, context.CaseId);
        return output;
    }

    private async Task<SimulatedVm> ProvisionAsync(AgentContext context)
    {
        // Creating and registering are not interrupted by a cancel: a VM created but never registered would be
        // invisible to the registry and run on at cost. A cancel that came meanwhile is seen at the first step.
        var labels = new Dictionary<string, string> { ["caseId"] = context.CaseId, ["taskId"] = context.TaskId };
        var vm = await cloud.CreateVmAsync(VmSize, labels, CancellationToken.None);
        try
        {
            await context.RegisterResourceAsync(new RegisterResourceOptions
            {
                ResourceId = vm.Id,
                Kind = "vm",
                Release = new ResourceRelease { Url = cloud.VmUrl(vm.Id), Method = "DELETE" },
            }, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogRegistrationFailed(e, vm.Id, context.CaseId);
            await cloud.ReleaseVmAsync(vm.Id, CancellationToken.None);
            throw;
        }

        LogVmProvisioned(vm.Id, VmSize, context.CaseId, context.TaskId);
        return vm;
    }

    [LoggerMessage(SampleEventIds.VmProvisioned, LogLevel.Information, "Provisioned VM {VmId} ({Size}) for {CaseId}/{TaskId} and registered it for release")]
    private partial void LogVmProvisioned(string vmId, string size, string caseId, string taskId);

    [LoggerMessage(SampleEventIds.VmReleasedByAgent, LogLevel.Information, "Released VM {VmId} of case {CaseId} after finishing the research")]
    private partial void LogVmReleased(string vmId, string caseId);

    [LoggerMessage(SampleEventIds.VmRegistrationFailed, LogLevel.Warning, "Could not register VM {VmId} of case {CaseId}; released it at once")]
    private partial void LogRegistrationFailed(Exception exception, string vmId, string caseId);
}
