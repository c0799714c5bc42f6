using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Ripcord.Testing.Processes;

/// <summary>
/// A silo as a real operating-system process (the built Ripcord.Silo.dll, which a project referencing Ripcord.Silo
/// has beside its own), configured by environment variables. For cluster drills and benchmarks: SIGKILL, SIGSTOP,
/// SIGCONT, SIGTERM.
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private bool _suspended;

    private SiloProcess(Process process)
    {
        _process = process;
    }

    public string Name { get; private init; } = "";

    /// <summary>What it was started with, to start it again (same name, ports and cluster).</summary>
    public IDictionary<string, string?> Settings { get; private init; } = new Dictionary<string, string?>();

    public Uri Address { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public bool IsAlive => !_process.HasExited;

    /// <summary>Alive and not stopped with SIGSTOP: a client may send it requests.</summary>
    public bool IsServing => IsAlive && !Volatile.Read(ref _suspended);

    /// <summary>Completes when the process has exited, however it ended.</summary>
    public Task Exited => _process.WaitForExitAsync();

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(80));
            }
        }
    }

    /// <summary>Lines of its whole output that contain <paramref name="text"/>.</summary>
    public int CountLines(string text)
    {
        lock (_output)
        {
            return _output.Count(l => l.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Starts the silo and returns once it listens (read from its own log) and answers <c>/readyz</c> as ready: it
    /// is an active member of its cluster and its stores answer.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(string name, IDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ripcord.Silo.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var silo = new SiloProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start")) { Name = name, Settings = settings };
        silo._process.OutputDataReceived += (_, e) => silo.OnLine(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.OnLine(e.Data);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        silo._process.EnableRaisingEvents = true;
        silo._process.Exited += (_, _) => silo._listening.TrySetException(new InvalidOperationException($"{name} exited:\n{silo.Output}"));
        try
        {
            silo.Address = await silo._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        // Longer than Orleans' 30 s response timeout, so an unsure grain call comes back as the silo's 503.
        silo.Http = new HttpClient { BaseAddress = silo.Address, Timeout = TimeSpan.FromSeconds(100) };
        try
        {
            await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>SIGKILL: no shutdown, no hand-back, the way a crash or an OOM kill ends a silo.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGSTOP: the process hangs with its sockets open, the way a stuck host or a long pause looks to its peers.</summary>
    public Task SuspendAsync()
    {
        Volatile.Write(ref _suspended, true);
        return SignalAsync("STOP");
    }

    /// <summary>SIGCONT: a suspended process runs on from where it stopped.</summary>
    public async Task ResumeAsync()
    {
        await SignalAsync("CONT");
        Volatile.Write(ref _suspended, false);
    }

    /// <summary>SIGTERM, then waits for the process to end: the silo drains and leaves its cluster.</summary>
    public async Task TerminateAsync(TimeSpan within)
    {
        await SignalAsync("TERM");
        await _process.WaitForExitAsync().WaitAsync(within);
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_suspended && !_process.HasExited)
        {
            await SignalAsync("CONT");
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Name} exited with {kill.ExitCode}");
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        var last = "no answer";
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (response.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            if (!IsAlive || DateTimeOffset.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Name} did not get ready (last /readyz: {last}):\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
