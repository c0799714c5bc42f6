using Microsoft.Extensions.DependencyInjection;
using Ripcord.Contracts;
using Ripcord.Grains.Outbox;
using Ripcord.Grains.Processes;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage;

namespace Ripcord.Grains.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task AddRipcordGrains_CalledTwice_RegistersEachGrainAndHandlerOnce()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRipcordGrains();
        services.AddRipcordGrains();
        await using var provider = services.BuildServiceProvider();

        var registry = provider.GetRequiredService<GrainTypeRegistry>();
        var handlers = provider.GetServices<IOutboxHandler>().ToList();

        Assert.Equal([GrainTypes.Case, Ripcord.Grains.Processes.ProcessGrain.Type, GrainTypes.Registry, GrainTypes.Task], registry.Types.Order(StringComparer.Ordinal));
        Assert.Single(handlers, h => h is WebhookReleaseHandler);
        Assert.Single(handlers, h => h is AgentKillHandler);
        Assert.Equal([OutboxTopics.AgentKill, OutboxTopics.ResourceRelease], handlers.Select(h => h.Topic).Order(StringComparer.Ordinal));
        Assert.IsType<InMemoryProcessDefinitionRepository>(provider.GetRequiredService<IProcessDefinitionRepository>());
        Assert.NotNull(provider.GetRequiredService<GrainRuntime>());
    }

    [Fact]
    public async Task LoadDirectory_ShippedProcesses_RegistersReportAndInvestment()
    {
        var repository = new InMemoryProcessDefinitionRepository();

        var loaded = await ProcessDefinitionLoader.LoadDirectoryAsync(repository, Path.Combine(AppContext.BaseDirectory, "processes"));

        Assert.Equal(["investment", "report"], loaded.Order(StringComparer.Ordinal));
        Assert.Equal(["investment", "report"], (await repository.ListAsync()).Select(d => d.Name));
    }

    [Fact]
    public async Task LoadDirectory_OneBadFile_LoadsTheGoodOnesAndNamesTheBadFile()
    {
        var folder = Directory.CreateTempSubdirectory("ripcord-processes-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "good.json"), """{ "name": "good", "nodes": [ { "id": "a", "agent": "x" } ] }""");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "bad.json"), """{ "name": "bad", "nodes": [ { "id": "a" } ] }""");
            var repository = new InMemoryProcessDefinitionRepository();

            var e = await Assert.ThrowsAsync<InvalidProcessDefinitionException>(() => ProcessDefinitionLoader.LoadDirectoryAsync(repository, folder.FullName));

            Assert.Contains("bad.json", Assert.Single(e.Errors).Message, StringComparison.Ordinal);
            Assert.NotNull(await repository.FindAsync("good"));
            Assert.Null(await repository.FindAsync("bad"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Register_InvalidDefinition_ThrowsAndKeepsThePreviousVersion()
    {
        var repository = new InMemoryProcessDefinitionRepository();
        await repository.RegisterAsync(Processes.Report);

        await Assert.ThrowsAsync<InvalidProcessDefinitionException>(async () => await repository.RegisterAsync(Processes.Report with { Edges = [["generate", "generate"]] }));

        Assert.Equal(2, (await repository.FindAsync("report"))!.Edges.Length);
    }
}
