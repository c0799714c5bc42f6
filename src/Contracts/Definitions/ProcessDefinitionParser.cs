using System.Collections.Immutable;
using System.Text.Json;

namespace Ripcord.Contracts;

/// <summary>Reads a process definition from JSON (the HTTP API format) and validates it.</summary>
public static class ProcessDefinitionParser
{
    public static DefinitionParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ProcessDefinition? definition;
        try
        {
            definition = JsonSerializer.Deserialize<ProcessDefinition>(json, RipcordJson.Options);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? "" : $" at {e.Path}";
            return Refused(new DefinitionError(DefinitionErrorCodes.InvalidJson, $"the definition is not valid JSON for a process{where}: {FirstLine(e.Message)}"));
        }

        if (definition is null)
        {
            return Refused(new DefinitionError(DefinitionErrorCodes.InvalidJson, "the definition is null"));
        }

        return Validate(definition);
    }

    public static DefinitionParseResult Validate(ProcessDefinition definition)
    {
        var errors = ProcessDefinitionValidator.Validate(definition);
        return new DefinitionParseResult(errors.IsEmpty ? definition : null, errors);
    }

    private static DefinitionParseResult Refused(DefinitionError error) => new(null, [error]);

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? message : message[..end].TrimEnd();
    }
}
