using Xunit.Abstractions;

namespace Ripcord.Deploy.Tests.Cluster;

/// <summary>
/// deploy/local/cluster.sh driven from a test, with a state folder of its own (so a developer's cluster is never
/// touched). Disposing it stops the cluster and deletes its state, after copying the silo logs to the test output.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan _commandTimeout = TimeSpan.FromMinutes(2);

    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, string?> _environment;

    private LocalCluster(ITestOutputHelper output, IReadOnlyDictionary<string, string?>? environment)
    {
        _output = output;
        StateDirectory = Path.Combine(Path.GetTempPath(), "ripcord-deploy-test-" + Guid.NewGuid().ToString("N")[..10]);
        _environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["RIPCORD_CLUSTER_DIR"] = StateDirectory,
            ["RIPCORD_CLUSTER_READY_TIMEOUT"] = "240",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            _environment[name] = value;
        }
    }

    public static string Script => RepositoryRoot.Combine("deploy", "local", "cluster.sh");

    public string StateDirectory { get; }

    public ProcessResult? StartResult { get; private set; }

    /// <summary>Starts a cluster of <paramref name="silos"/> on its private PostgreSQL; a failed start fails the test.</summary>
    public static async Task<LocalCluster> CreateAsync(int silos, ITestOutputHelper output, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var cluster = new LocalCluster(output, environment);
        try
        {
            var result = await cluster.RunAsync(_startTimeout, "start", silos.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(result.ExitCode == 0, "cluster.sh start failed: " + result);
            cluster.StartResult = result;
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(_commandTimeout, arguments);

    public async Task<ProcessResult> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(Script, arguments, _environment, timeout);
        _output.WriteLine($"$ cluster.sh {string.Join(' ', arguments)}\n{result}");
        return result;
    }

    public Uri SiloUrl(int silo) => new(ReadState("silos", $"{silo}", "url"));

    /// <summary>The silo's name in Orleans (<c>Ripcord:Cluster:SiloName</c>), which /readyz and /api/v1/cluster show.</summary>
    public string SiloId(int silo) => ReadState("silos", $"{silo}", "silo-id");

    /// <summary>The silo's silo-to-silo port (<c>Ripcord:Cluster:SiloPort</c>).</summary>
    public int SiloPort(int silo) => int.Parse(ReadState("silos", $"{silo}", "silo-port"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The silo's gateway port (<c>Ripcord:Cluster:GatewayPort</c>).</summary>
    public int GatewayPort(int silo) => int.Parse(ReadState("silos", $"{silo}", "gateway-port"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The API key of a role (admin, operator, viewer, agent) from the cluster's keys.env.</summary>
    public string Key(string role)
    {
        var name = $"RIPCORD_{role.ToUpperInvariant()}_KEY=";
        var line = File.ReadAllLines(Path.Combine(StateDirectory, "keys.env")).SingleOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line?[name.Length..] ?? throw new InvalidOperationException($"keys.env has no key for {role}.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in Directory.Exists(Path.Combine(StateDirectory, "silos"))
            ? Directory.GetFiles(Path.Combine(StateDirectory, "silos"), "silo.log", SearchOption.AllDirectories)
            : [])
        {
            var lines = await File.ReadAllLinesAsync(log);
            _output.WriteLine($"--- {Path.GetRelativePath(StateDirectory, log)} (last 40 lines)\n{string.Join('\n', lines.TakeLast(40))}");
        }

        try
        {
            await RunAsync("clean");
        }
        catch (TimeoutException e)
        {
            _output.WriteLine("cluster.sh clean did not end: " + e.Message);
        }
    }

    private string ReadState(params string[] path) => File.ReadAllText(Path.Combine([StateDirectory, .. path])).Trim();
}
