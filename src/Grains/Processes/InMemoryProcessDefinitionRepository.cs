using System.Collections.Concurrent;
using Ripcord.Contracts;

namespace Ripcord.Grains.Processes;

/// <summary>The embedded repository: definitions live in memory (the silo reloads its folder at start).</summary>
public sealed class InMemoryProcessDefinitionRepository : IProcessDefinitionRepository
{
    private readonly ConcurrentDictionary<string, ProcessDefinition> _definitions = new(StringComparer.Ordinal);

    public ValueTask<ProcessRegistration> RegisterAsync(ProcessDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ProcessDefinitionParser.Validate(definition).GetOrThrow();
        var replaced = false;
        _definitions.AddOrUpdate(definition.Name, definition, (_, _) =>
        {
            replaced = true;
            return definition;
        });
        return ValueTask.FromResult(replaced ? ProcessRegistration.Replaced : ProcessRegistration.Created);
    }

    public ValueTask<ProcessDefinition?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(name is not null && _definitions.TryGetValue(name, out var definition) ? definition : null);

    public ValueTask<IReadOnlyList<ProcessDefinition>> ListAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ProcessDefinition>>(_definitions.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToList());
}
