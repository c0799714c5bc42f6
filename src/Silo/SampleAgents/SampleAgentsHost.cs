using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Ripcord.Client.Agents;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// Runs the sample agents when <c>Ripcord:SampleAgents:Enabled</c> is true. They are ordinary Agent SDK agents in a
/// container of their own, talking to the silo over real HTTP like any outside agent would; so they start only once
/// the server listens (its address is known then), and stop before it does, so their long polls do not hold up the
/// server's shutdown.
/// </summary>
internal sealed partial class SampleAgentsHost(
    IOptions<SampleAgentsOptions> options,
    IOptions<AuthOptions> auth,
    IHostEnvironment environment,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory,
    TimeProvider time,
    ILogger<SampleAgentsHost> logger) : IHostedLifecycleService
{
    private string? _apiKey;
    private Uri? _configuredUrl;
    private ServiceProvider? _agents;
    private IReadOnlyList<IHostedService> _workers = [];

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            // Checked before the server starts, so a missing key or a bad URL stops the silo at once with a clear message.
            _apiKey = ResolveApiKey();
            _configuredUrl = ConfiguredServerUrl();
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var url = _configuredUrl ?? ListeningUrl();
        _agents = BuildAgents(url, _apiKey!);
        _workers = [.. _agents.GetServices<IHostedService>()];
        foreach (var worker in _workers)
        {
            await worker.StartAsync(cancellationToken);
        }

        LogStarted(_workers.Count, url);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_agents is null)
        {
            return;
        }

        await Task.WhenAll(_workers.Select(w => w.StopAsync(cancellationToken)));
        await _agents.DisposeAsync();
        _agents = null;
        LogStopped();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private ServiceProvider BuildAgents(Uri server, string apiKey)
    {
        var settings = options.Value;
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddLogging();
        services.AddSingleton(time);
        services.AddSingleton(lifetime);
        services.AddSingleton(settings);
        services.AddSingleton(_ => new SimulatedCloudClient(server));
        services.AddRipcordClient(o =>
        {
            o.BaseAddress = server;
            o.ApiKey = apiKey;
        });
        Add<ReportGeneratorAgent>(services, ReportGeneratorAgent.Type);
        Add<QuickSummaryAgent>(services, QuickSummaryAgent.Type);
        Add<MarketResearcherAgent>(services, MarketResearcherAgent.Type);
        Add<FounderCheckerAgent>(services, FounderCheckerAgent.Type);
        Add<FinancialModelerAgent>(services, FinancialModelerAgent.Type);
        Add<CloseCaseAgent>(services, CloseCaseAgent.Type);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static void Add<TAgent>(IServiceCollection services, string type)
        where TAgent : class, IRipcordAgent =>
        services.AddRipcordAgent<TAgent>(type, o =>
        {
            o.AgentId = $"sample-{type}-{Guid.NewGuid().ToString("N")[..6]}";

            // Several demo cases may run at once; one long poll per type serves them all.
            o.MaxConcurrentTasks = 8;
        });

    private string ResolveApiKey()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.ApiKey))
        {
            return options.Value.ApiKey;
        }

        if (environment.IsDevelopment()
            && auth.Value.ApiKeys.FirstOrDefault(k => k.Roles.Contains(Roles.Agent, StringComparer.Ordinal)) is { } development)
        {
            return development.Key;
        }

        throw new InvalidOperationException(
            $"{SampleAgentsOptions.Section}:Enabled is true but no API key is set for the sample agents: set {SampleAgentsOptions.Section}:ApiKey "
            + $"(environment variable Ripcord__SampleAgents__ApiKey) to a key with the 'agent' role, or set {SampleAgentsOptions.Section}:Enabled to false.");
    }

    private Uri? ConfiguredServerUrl()
    {
        if (string.IsNullOrWhiteSpace(options.Value.ServerUrl))
        {
            return null;
        }

        return Uri.TryCreate(options.Value.ServerUrl, UriKind.Absolute, out var configured) && configured.Scheme is "http" or "https"
            ? WithTrailingSlash(configured)
            : throw new InvalidOperationException($"{SampleAgentsOptions.Section}:ServerUrl '{options.Value.ServerUrl}' is not an absolute http(s) URL.");
    }

    private Uri ListeningUrl()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.OrderBy(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault()
            ?? throw new InvalidOperationException($"The silo has no listening address the sample agents could use; set {SampleAgentsOptions.Section}:ServerUrl.");
        var binding = BindingAddress.Parse(chosen);

        // A wildcard binding is reachable on loopback; a named host (localhost, a machine name) is kept as given.
        var host = binding.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" ? "127.0.0.1" : binding.Host;
        return WithTrailingSlash(new UriBuilder(binding.Scheme, host, binding.Port, binding.PathBase).Uri);
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    [LoggerMessage(SampleEventIds.AgentsStarted, LogLevel.Information, "Started {Count} sample agents and the simulated cloud; they talk to {ServerUrl}")]
    private partial void LogStarted(int count, Uri serverUrl);

    [LoggerMessage(SampleEventIds.AgentsStopped, LogLevel.Information, "Stopped the sample agents")]
    private partial void LogStopped();
}
