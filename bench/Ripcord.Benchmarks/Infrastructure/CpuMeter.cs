using System.Diagnostics;
using System.Globalization;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// CPU time spent by this process (silos, clients, workers) and by the suite's private PostgreSQL server (its
/// postmaster, live backends and those that exited), read from Linux's <c>/proc</c>. What a measured unit of work
/// costs in CPU holds much better than its rate when other work shares the cores.
/// </summary>
internal static class CpuMeter
{
    /// <summary>/proc counts CPU time in ticks of USER_HZ, 100 a second on Linux.</summary>
    private const int MillisecondsPerTick = 10;

    /// <param name="Allocated">Bytes this process allocated.</param>
    /// <param name="GcPause">Time this process's threads were paused for garbage collection.</param>
    public readonly record struct Reading(TimeSpan Process, TimeSpan Postgres, long Allocated, TimeSpan GcPause)
    {
        public static Reading operator -(Reading after, Reading before) =>
            new(after.Process - before.Process, after.Postgres - before.Postgres, after.Allocated - before.Allocated, after.GcPause - before.GcPause);
    }

    /// <param name="postmaster">The server's postmaster process id, or null in memory.</param>
    public static Reading Read(int? postmaster)
    {
        using var self = Process.GetCurrentProcess();
        var process = self.TotalProcessorTime;
        if (postmaster is not { } pid || !File.Exists($"/proc/{pid}/stat"))
        {
            return new Reading(process, TimeSpan.Zero, GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration());
        }

        // The postmaster's own time and its waited-for children (backends that exited), then each live child.
        var ticks = Ticks(pid, withChildren: true);
        var children = $"/proc/{pid}/task/{pid}/children";
        if (File.Exists(children))
        {
            foreach (var child in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                ticks += Ticks(int.Parse(child, CultureInfo.InvariantCulture), withChildren: false);
            }
        }

        return new Reading(process, TimeSpan.FromMilliseconds(ticks * MillisecondsPerTick), GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration());
    }

    private static long Ticks(int pid, bool withChildren)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return 0; // Exited meanwhile: its time moved to the postmaster's children.
        }

        // Fields after the command name (which may hold spaces, in parentheses): utime is field 14, cutime 16.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (withChildren)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return ticks;
    }
}
