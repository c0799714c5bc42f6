using Ripcord.Contracts;
using Ripcord.Grains.Processes;

namespace Ripcord.Grains.Tests;

/// <summary>Process definitions in the process catalog grain, on a test cluster.</summary>
public sealed class HostingTests : IAsyncLifetime
{
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private GrainProcessDefinitionRepository Repository => new(_h.References);

    [Fact]
    public async Task LoadDirectory_ShippedProcesses_RegistersReportAndInvestment()
    {
        var loaded = await ProcessDefinitionLoader.LoadDirectoryAsync(Repository, Path.Combine(AppContext.BaseDirectory, "processes"));

        Assert.Equal(["investment", "report"], loaded.Order(StringComparer.Ordinal));
        Assert.Equal(["investment", "report"], (await Repository.ListAsync()).Select(d => d.Name));
    }

    [Fact]
    public async Task LoadDirectory_OneBadFile_LoadsTheGoodOnesAndNamesTheBadFile()
    {
        var folder = Directory.CreateTempSubdirectory("ripcord-processes-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "good.json"), """{ "name": "good", "nodes": [ { "id": "a", "agent": "x" } ] }""");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "bad.json"), """{ "name": "bad", "nodes": [ { "id": "a" } ] }""");

            var e = await Assert.ThrowsAsync<InvalidProcessDefinitionException>(() => ProcessDefinitionLoader.LoadDirectoryAsync(Repository, folder.FullName));

            Assert.Contains("bad.json", Assert.Single(e.Errors).Message, StringComparison.Ordinal);
            Assert.NotNull(await Repository.FindAsync("good"));
            Assert.Null(await Repository.FindAsync("bad"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Register_InvalidDefinition_ThrowsAndKeepsThePreviousVersion()
    {
        await Repository.RegisterAsync(Processes.Report);

        await Assert.ThrowsAsync<InvalidProcessDefinitionException>(async () => await Repository.RegisterAsync(Processes.Report with { Edges = [["generate", "generate"]] }));

        Assert.Equal(2, (await Repository.FindAsync("report"))!.Edges.Length);
    }

    [Fact]
    public async Task Register_SameNameTwice_ReplacesAndCountsRevisions()
    {
        Assert.Equal(Contracts.Processes.ProcessRegistration.Created, await Repository.RegisterAsync(Processes.Report));
        Assert.Equal(Contracts.Processes.ProcessRegistration.Replaced, await Repository.RegisterAsync(Processes.Report));
    }
}
