using System.Text.Json;
using Ripcord.Client.Models;

namespace Ripcord.Client;

public sealed partial class RipcordClient
{
    /// <summary>Lists the registered process definitions (<c>GET /api/v1/processes</c>).</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The definitions.</returns>
    public async Task<IReadOnlyList<ProcessDefinition>> ListProcessesAsync(CancellationToken cancellationToken = default)
    {
        var document = await SendAsync<JsonElement>(HttpMethod.Get, "api/v1/processes", body: null, cancellationToken).ConfigureAwait(false);
        if (document.ValueKind == JsonValueKind.Object)
        {
            // Accept a wrapper object as well as a bare array: the API does not fix the list's shape.
            foreach (var property in document.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Array)
                {
                    document = property.Value;
                    break;
                }
            }
        }

        if (document.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"Expected a JSON array of process definitions, got {document.ValueKind}.");
        }

        return document.Deserialize<List<ProcessDefinition>>(RipcordJson.Options) ?? [];
    }

    /// <summary>Registers or replaces a process definition (<c>PUT /api/v1/processes/{name}</c>, role admin).</summary>
    /// <param name="definition">The definition; its <see cref="ProcessDefinition.Name"/> names it.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the server accepted the definition.</returns>
    /// <exception cref="InvalidDefinitionException">The graph is invalid (unknown node in an edge, cycle, unreachable node, missing <c>onCancel</c> target); the detail names the fault.</exception>
    /// <exception cref="ForbiddenException">The API key is not an admin.</exception>
    public async Task PutProcessAsync(ProcessDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Name, nameof(definition) + "." + nameof(definition.Name));
        using var response = await SendAsync(HttpMethod.Put, "api/v1/processes/" + Escape(definition.Name), definition, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers or replaces a process definition given as raw JSON, sent as is (for definitions read from files,
    /// with fields this client version may not model).
    /// </summary>
    /// <param name="name">The process name.</param>
    /// <param name="definition">The definition, a JSON object.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the server accepted the definition.</returns>
    /// <exception cref="InvalidDefinitionException">The graph is invalid; the detail names the fault.</exception>
    public async Task PutProcessAsync(string name, JsonElement definition, CancellationToken cancellationToken = default)
    {
        if (definition.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A process definition is a JSON object, not {definition.ValueKind}.", nameof(definition));
        }

        using var response = await SendAsync(HttpMethod.Put, "api/v1/processes/" + Escape(name), definition, cancellationToken).ConfigureAwait(false);
    }
}
