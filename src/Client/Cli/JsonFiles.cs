using System.Text.Json;

namespace Ripcord.Cli;

/// <summary>Reads JSON given on the command line or in files, with errors that name the file, line and position.</summary>
internal static class JsonFiles
{
    public static JsonElement Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliUsageException($"file '{file.FullName}' does not exist.");
        }

        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot read file '{file.FullName}': {exception.Message}", exception);
        }

        return Parse(text, $"file '{file.FullName}'");
    }

    public static JsonElement Parse(string text, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" at line {line + 1}, position {exception.BytePositionInLine + 1}" : string.Empty;
            throw new CliUsageException($"{source} is not valid JSON{where}.", exception);
        }
    }
}
