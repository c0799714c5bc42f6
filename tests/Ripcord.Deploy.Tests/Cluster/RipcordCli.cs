using Xunit.Abstractions;

namespace Ripcord.Deploy.Tests.Cluster;

/// <summary>The <c>ripcord</c> CLI (src/Client/Cli), built once into a folder of the test's own.</summary>
public sealed class RipcordCli
{
    private readonly string _assembly;
    private readonly ITestOutputHelper _output;

    private RipcordCli(string assembly, ITestOutputHelper output)
    {
        _assembly = assembly;
        _output = output;
    }

    public static string Project => RepositoryRoot.Combine("src", "Client", "Cli", "Ripcord.Cli.csproj");

    /// <summary>Builds the CLI; null when the repository has no CLI project.</summary>
    public static async Task<RipcordCli?> BuildAsync(string folder, ITestOutputHelper output)
    {
        if (!File.Exists(Project))
        {
            return null;
        }

        var result = await ProcessRunner.RunAsync(
            "dotnet",
            ["build", Project, "-c", "Release", "-o", folder, "--nologo", "-v", "q", "--disable-build-servers"],
            timeout: TimeSpan.FromMinutes(8));
        Assert.True(result.ExitCode == 0, "building the CLI failed: " + result);
        var assembly = Path.Combine(folder, "ripcord.dll");
        Assert.True(File.Exists(assembly), $"the CLI build made no {assembly}");
        return new RipcordCli(assembly, output);
    }

    /// <summary>The CLI's exit code for a server error (docs/sdk.md), which a 503 "unavailable" answer gives.</summary>
    public const int ServerErrorExitCode = 8;

    /// <summary>The CLI's exit code when the server could not be reached or did not answer in time.</summary>
    public const int UnreachableExitCode = 3;

    /// <summary>Runs <c>ripcord ARGS</c> against a silo with a key (RIPCORD_SERVER, RIPCORD_API_KEY) and wants exit 0.</summary>
    public async Task<ProcessResult> RunAsync(Uri server, string key, params string[] arguments)
    {
        var result = await TryRunAsync(server, key, arguments);
        Assert.True(result.ExitCode == 0, $"ripcord {string.Join(' ', arguments)} failed: {result}");
        return result;
    }

    /// <summary>Runs <c>ripcord ARGS</c> against a silo with a key, whatever its exit code.</summary>
    public async Task<ProcessResult> TryRunAsync(Uri server, string key, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [_assembly, .. arguments],
            new Dictionary<string, string?> { ["RIPCORD_SERVER"] = server.ToString().TrimEnd('/'), ["RIPCORD_API_KEY"] = key },
            TimeSpan.FromMinutes(1));
        _output.WriteLine($"$ ripcord {string.Join(' ', arguments)}\n{result}");
        return result;
    }
}
