using Ripcord.Client;

namespace Ripcord.Silo.Tests.SampleAgents;

/// <summary>A real silo with the sample agents on, short durations, and clients for it.</summary>
public static class SampleSilo
{
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? overrides = null)
    {
        var settings = TestKeys.Settings();
        settings["Ripcord:SampleAgents:Enabled"] = "true";
        settings["Ripcord:SampleAgents:ApiKey"] = TestKeys.Agent;

        // Long enough that the tests' cancels always come first, short enough to keep the suite quick.
        settings["Ripcord:SampleAgents:ReportGenerator:Seconds"] = "60";
        settings["Ripcord:SampleAgents:QuickSummary:Seconds"] = "0.3";
        settings["Ripcord:SampleAgents:MarketResearcher:Seconds"] = "60";
        settings["Ripcord:SampleAgents:FounderChecker:Seconds"] = "60";
        settings["Ripcord:SampleAgents:FinancialModeler:Seconds"] = "5";
        settings["Ripcord:SampleAgents:CloseCase:Seconds"] = "0.3";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static Task<RunningSilo> StartAsync(IDictionary<string, string?>? overrides = null) => RunningSilo.StartAsync(Settings(overrides));

    public static RipcordClient Client(RunningSilo silo, string key = TestKeys.Operator) =>
        new(new RipcordClientOptions { BaseAddress = silo.Address, ApiKey = key });
}
