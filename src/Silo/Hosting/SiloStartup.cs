using Ripcord.Grains.Processes;
using Ripcord.Silo.Agents;

namespace Ripcord.Silo.Hosting;

/// <summary>
/// Runs once the silo started: loads the process definitions of <c>Ripcord:Processes:Path</c>. (Agents' signal
/// streams are closed on shutdown by <see cref="AgentSignalHub"/> itself.)
/// </summary>
internal sealed partial class SiloStartup(
    IConfiguration configuration,
    IProcessDefinitionRepository processes,
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
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(4001, LogLevel.Information, "Loaded {Count} process definitions from {Path}: {Names}")]
    private partial void LogProcessesLoaded(int count, string path, string names);
}
