using Ripcord.Contracts;

namespace Ripcord.Grains.Processes;

/// <summary>Where process definitions are registered (or replaced) and looked up by name. Cases copy the definition at start.</summary>
public interface IProcessDefinitionRepository
{
    /// <summary>Validates and stores <paramref name="definition"/>; throws <see cref="InvalidProcessDefinitionException"/> naming every fault.</summary>
    ValueTask<ProcessRegistration> RegisterAsync(ProcessDefinition definition, CancellationToken cancellationToken = default);

    ValueTask<ProcessDefinition?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every registered process, ordered by name.</summary>
    ValueTask<IReadOnlyList<ProcessDefinition>> ListAsync(CancellationToken cancellationToken = default);
}
