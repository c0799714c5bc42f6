using System.Text.Json;

namespace Ripcord.Contracts;

/// <summary>The JSON settings of the HTTP API and of stored states: camelCase, case-insensitive reads, nulls written.</summary>
public static class RipcordJson
{
    /// <summary>Shared, read-only options. Enums carry their own converters, so they serialize as their API names.</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
