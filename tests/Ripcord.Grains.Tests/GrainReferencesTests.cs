using Ripcord.Contracts.Agents;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Processes;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Tests;

/// <summary>References built from resolved type ids name the grain Orleans' own GetGrain names, and reach it.</summary>
public sealed class GrainReferencesTests : IAsyncLifetime
{
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public void EveryReference_FirstAndLater_NamesTheGrainOrleansNames()
    {
        var references = new GrainReferences(_h.Grains);
        foreach (var id in new[] { "r1", "r2", "020235" })
        {
            Assert.Equal(_h.Grains.GetGrain<ICaseGrain>(GrainKeys.Case(id)).GetGrainId(), references.Case(id).GetGrainId());
            Assert.Equal(_h.Grains.GetGrain<ITaskGrain>(GrainKeys.Task(id, "t")).GetGrainId(), references.Task(id, "t").GetGrainId());
            Assert.Equal(_h.Grains.GetGrain<IAgentSignalGrain>(GrainKeys.Agent(id)).GetGrainId(), references.AgentSignals(id).GetGrainId());
            Assert.Equal(_h.Grains.GetGrain<ITaskGrain>(GrainKeys.Task(id, "t")).GetGrainId(), references.Durable(GrainKeys.Task(id, "t")).GetGrainId());
        }

        Assert.Throws<ArgumentException>(() => references.Durable("nothing:x"));
    }

    [Fact]
    public async Task LaterReference_Call_ReachesTheGrain()
    {
        var references = new GrainReferences(_h.Grains);
        await new GrainProcessDefinitionRepository(references).RegisterAsync(Processes.Pipeline());

        // The repository made the first reference; this one is built from the resolved ids.
        var processes = await references.ProcessCatalog().List();

        Assert.Contains(processes, p => p.Definition!.Name == "pipeline");
    }
}
