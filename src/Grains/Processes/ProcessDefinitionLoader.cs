using System.Collections.Immutable;
using Ripcord.Contracts;

namespace Ripcord.Grains.Processes;

/// <summary>Loads every <c>*.json</c> of a folder into a repository (the silo's <c>Ripcord:Processes:Path</c>).</summary>
public static class ProcessDefinitionLoader
{
    /// <summary>
    /// Registers every valid file and returns the names loaded; throws <see cref="InvalidProcessDefinitionException"/>
    /// naming each bad file's faults after loading the good ones, so one bad file is loud but does not hide the rest.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LoadDirectoryAsync(IProcessDefinitionRepository repository, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var loaded = new List<string>();
        var errors = ImmutableArray.CreateBuilder<DefinitionError>();
        foreach (var file in Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal))
        {
            var result = ProcessDefinitionParser.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
            if (!result.IsValid)
            {
                errors.AddRange(result.Errors.Select(e => e with { Message = $"{Path.GetFileName(file)}: {e.Message}" }));
                continue;
            }

            await repository.RegisterAsync(result.Definition, cancellationToken).ConfigureAwait(false);
            loaded.Add(result.Definition.Name);
        }

        if (errors.Count > 0)
        {
            throw new InvalidProcessDefinitionException(errors.ToImmutable());
        }

        return loaded;
    }
}
