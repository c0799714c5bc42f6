using System.Text.Json;
using System.Text.Json.Serialization;
using Ripcord.Client;
using Spectre.Console;

namespace Ripcord.Cli;

/// <summary>What one command run needs: the client for the chosen server, where to write, and the output format.</summary>
internal sealed class CliSession : IDisposable
{
    private static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonSerializerOptions JsonLineOutput = new(JsonOutput) { WriteIndented = false };

    private readonly Lazy<RipcordClient> _client;

    public CliSession(Uri server, string? apiKey, bool json, TextWriter output)
    {
        Server = server;
        ApiKey = apiKey;
        Json = json;
        Output = output;
        _client = new Lazy<RipcordClient>(() => new RipcordClient(new RipcordClientOptions { BaseAddress = server, ApiKey = apiKey }));
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (!ReferenceEquals(output, System.Console.Out) || System.Console.IsOutputRedirected)
        {
            // Piped output has no terminal width; keep rows on one line for grep and friends.
            Console.Profile.Width = 200;
        }
    }

    public Uri Server { get; }

    public string? ApiKey { get; }

    public bool Json { get; }

    public TextWriter Output { get; }

    public IAnsiConsole Console { get; }

    public RipcordClient Client => _client.Value;

    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, JsonOutput));

    public void WriteJsonLine<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, JsonLineOutput));

    public void WriteLine(string text) => Output.WriteLine(text);

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
