using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>What a result needs to be read against: the machine, the runtime, the build and how busy the machine was.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var cores = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        var memory = MemoryGiB() is { } gib ? $"{gib:F1} GiB" : "memory unknown";
        var orleans = typeof(Orleans.Grain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split(['+', ' '])[0].TrimEnd('.') ?? "?";
        var sdk = SdkVersion();
        return string.Join("\n", new[]
        {
            $"- CPU: `nproc` {cores}, {CpuModel()}, {memory}",
            $"- OS: {OsName()} (kernel {Kernel()}), {RuntimeInformation.OSArchitecture}",
            $"- .NET: {RuntimeInformation.FrameworkDescription}{(sdk is null ? "" : $" (SDK {sdk})")}, Orleans {orleans}, {Configuration} build, {(GCSettings.IsServerGC ? "server" : "workstation")} GC",
        });
    }

    /// <summary>The build configuration this program was compiled in.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>The 1, 5 and 15 minute load averages (other processes sharing the cores).</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(" / ", parts.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The machine's CPU counters since boot (<c>/proc/stat</c>): all ticks and those stolen by the host; null off Linux.</summary>
    public static (long Total, long Steal)? CpuTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (fields.Sum(), fields.Length > 7 ? fields[7] : 0);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The share of CPU time the host (hypervisor) took from this machine between two readings of <see cref="CpuTicks"/>.</summary>
    public static string StolenBetween((long Total, long Steal)? start, (long Total, long Steal)? end) =>
        start is { } a && end is { } b && b.Total > a.Total
            ? ((double)(b.Steal - a.Steal) / (b.Total - a.Total)).ToString("P1", CultureInfo.InvariantCulture)
            : "unknown";

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "CPU model unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "CPU model unknown";
        }
    }

    private static string OsName()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.OSDescription : line["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException)
        {
            return RuntimeInformation.OSDescription;
        }
    }

    private static string Kernel()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return Environment.OSVersion.Version.ToString();
        }
    }

    private static double? MemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kib is null ? null : double.Parse(kib, CultureInfo.InvariantCulture) / (1024 * 1024);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? SdkVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return null;
            }

            var version = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(10_000);
            return process.ExitCode == 0 && version.Length > 0 ? version : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
