using Ripcord.Grains.Processes;
using Ripcord.Silo.Agents;

namespace Ripcord.Silo.Hosting;

/// <summary>
/// Runs once the silo started: loads the process definitions of <c>Ripcord:Processes:Path</c>. On shutdown it closes
/// agents' signal streams, so they end cleanly.
/// </summary>
internal sealed partial class SiloStartup(
    IConfiguration configuration,
    IProcessDefinitionRepository processes,
    AgentSignalHub signals,
    IHostApplicationLifetime lifetime,
    ILogger<SiloStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var path = configuration["Ripcord:Processes:Path"] ?? Path.Combine(AppContext.BaseDirectory, "processes");
        if (Directory.Exists(path))
        {
            var loaded = await ProcessDefinitionLoader.LoadDirectoryAsync(processes, path, cancellationToken);
            LogProcessesLoaded(loaded.Count, path, string.Join(", ", loaded));
        }
        else if (configuration["Ripcord:Processes:Path"] is not null)
        {
            throw new InvalidOperationException($"Ripcord:Processes:Path '{path}' does not exist.");
        }

        lifetime.ApplicationStopping.Register(signals.CloseAll);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(4001, LogLevel.Information, "Loaded {Count} process definitions from {Path}: {Names}")]
    private partial void LogProcessesLoaded(int count, string path, string names);
}
