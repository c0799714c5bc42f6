namespace Ripcord.Contracts.Serialization;

/// <summary>
/// How a <see cref="System.Text.Json.JsonElement"/> (inputs, outputs, checkpoints, details) crosses the wire: its raw
/// JSON text; null for an undefined (default) element.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.serialization.json-element")]
public struct JsonElementSurrogate
{
    [Id(0)]
    public string? Json;
}
