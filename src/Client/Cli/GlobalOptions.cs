using System.CommandLine;

namespace Ripcord.Cli;

/// <summary>The options every command takes: which server, which key, which output format.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultServer = "http://localhost:5000";

    private readonly Func<string, string?> _environment;

    public GlobalOptions(Func<string, string?> environment)
    {
        _environment = environment;
    }

    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = $"Ripcord server URL (default: $RIPCORD_SERVER, else {DefaultServer})",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key", "-k")
    {
        Description = "API key sent as a bearer token (default: $RIPCORD_API_KEY)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write JSON for scripts instead of tables",
        Recursive = true,
    };

    public Uri ResolveServer(ParseResult parse)
    {
        var text = parse.GetValue(Server) ?? _environment("RIPCORD_SERVER");
        if (string.IsNullOrWhiteSpace(text))
        {
            text = DefaultServer;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"the server address '{text}' is not an http:// or https:// URL (from --server or RIPCORD_SERVER).");
        }

        return server;
    }

    public string? ResolveApiKey(ParseResult parse)
    {
        var key = parse.GetValue(ApiKey) ?? _environment("RIPCORD_API_KEY");
        return string.IsNullOrWhiteSpace(key) ? null : key;
    }
}
