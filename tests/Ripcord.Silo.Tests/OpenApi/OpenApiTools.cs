using Ripcord.Testing;
using Ripcord.Testing.Processes;

namespace Ripcord.Silo.Tests.OpenApi;

/// <summary>
/// The npm tools of tests/openapi (Redocly CLI, openapi-typescript, openapi-fetch, TypeScript), installed from its
/// lock file once per test run, and the committed copy of the document.
/// </summary>
internal static class OpenApiTools
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    public static string Folder => RepositoryRoot.Combine("tests", "openapi");

    /// <summary>The copy of <c>/openapi/v1.json</c> kept for readers of the repository.</summary>
    public static string CommittedDocument => RepositoryRoot.Combine("docs", "openapi", "v1.json");

    /// <summary>Runs a tool of <c>tests/openapi/node_modules/.bin</c> in tests/openapi.</summary>
    public static async Task<ProcessResult> RunAsync(string tool, params string[] arguments)
    {
        await Installed.Value;
        return await ProcessRunner.RunAsync(Path.Combine(Folder, "node_modules", ".bin", tool), arguments, timeout: TimeSpan.FromMinutes(3), workingDirectory: Folder);
    }

    /// <summary>Runs a compiled script of tests/openapi with node.</summary>
    public static async Task<ProcessResult> NodeAsync(string script, IReadOnlyDictionary<string, string?> environment)
    {
        await Installed.Value;
        return await ProcessRunner.RunAsync("node", [script], environment, TimeSpan.FromMinutes(3), Folder);
    }

    /// <summary>The document a silo serves, as it serves it.</summary>
    public static async Task<string> FetchDocumentAsync(RunningSilo silo)
    {
        using var response = await silo.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"/openapi/v1.json answered {response.StatusCode}");
        return (await response.Content.ReadAsStringAsync()).ReplaceLineEndings("\n").TrimEnd() + "\n";
    }

    private static async Task InstallAsync()
    {
        Assert.True(
            ProcessRunner.OnPath("node") && ProcessRunner.OnPath("npm"),
            "The OpenAPI checks need Node.js and npm on PATH: apt-get install nodejs npm (.ci/run installs them).");
        var result = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], timeout: TimeSpan.FromMinutes(5), workingDirectory: Folder);
        Assert.True(result.ExitCode == 0, "npm ci in tests/openapi failed: " + result);
    }
}
