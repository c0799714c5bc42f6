using Ripcord.Grains.Processes;
using Ripcord.Silo.Agents;
using Ripcord.Silo.Live;

namespace Ripcord.Silo.Hosting;

/// <summary>
/// Runs once the runtime started: loads the process definitions of <c>Ripcord:Processes:Path</c> and brings up the
/// agent gateway and live feeds. On shutdown it closes agents' signal streams, so they end cleanly.
/// </summary>
internal sealed partial class SiloStartup(
    IConfiguration configuration,
    IProcessDefinitionRepository processes,
    ReadyTaskIndex readyTasks,
    AgentSignalHub signals,
    CaseChangeFeed changes,
    IHostApplicationLifetime lifetime,
    ILogger<SiloStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved here so they subscribe to the bus and the runtime before any request needs them.
        _ = readyTasks;
        _ = changes;
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
