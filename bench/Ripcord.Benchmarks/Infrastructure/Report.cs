using System.Globalization;
using System.Text;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// One suite's Markdown result: the machine, the exact command and the date first, then what the suite adds. Printed
/// to the console and written to <c>bench/results/{suite}.md</c> (unless <c>--no-write</c>).
/// </summary>
internal sealed class Report
{
    private readonly StringBuilder _body = new();
    private readonly string _suite;
    private readonly string _title;
    private readonly string _command;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly string _loadAtStart = Machine.LoadAverage();
    private readonly (long Total, long Steal)? _ticksAtStart = Machine.CpuTicks();

    public Report(string suite, string title, IEnumerable<string> args)
    {
        _suite = suite;
        _title = title;
        var rest = string.Join(' ', args.Where(a => a != "--no-write"));
        _command = $"dotnet run -c Release --project bench/Ripcord.Benchmarks -- {suite}{(rest.Length > 0 ? " " + rest : "")}";
    }

    public void Heading(string text) => _body.Append("## ").Append(text).Append("\n\n");

    public void Paragraph(string text) => _body.Append(text.Trim()).Append("\n\n");

    /// <summary>A table; columns after the first are right-aligned (numbers).</summary>
    public void Table(string[] header, IEnumerable<string[]> rows)
    {
        _body.Append("| ").Append(string.Join(" | ", header)).Append(" |\n");
        _body.Append("|---").Append(string.Concat(Enumerable.Repeat("|---:", header.Length - 1))).Append("|\n");
        foreach (var row in rows)
        {
            _body.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
        }

        _body.Append('\n');
    }

    /// <summary>Prints the report and writes it under bench/results of the repository the command runs in.</summary>
    public async Task PublishAsync(bool write)
    {
        var elapsed = DateTimeOffset.UtcNow - _started;
        var text = new StringBuilder()
            .Append("# ").Append(_title).Append("\n\n")
            .Append("- Date: ").Append(_started.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC, ")
            .Append(elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)).Append(" s\n")
            .Append("- Command: `").Append(_command).Append("` (from the repository root)\n")
            .Append(Machine.Describe()).Append('\n')
            .Append("- Load average (1, 5, 15 min) at start: ").Append(_loadAtStart).Append("; at end: ").Append(Machine.LoadAverage())
            .Append(" (anything above 0 is other work sharing the cores)\n")
            .Append("- CPU time stolen by the host during the run (`/proc/stat` steal): ").Append(Machine.StolenBetween(_ticksAtStart, Machine.CpuTicks()))
            .Append(" (a virtual machine's cores shared with other guests: above a few percent, figures are slower than the machine)\n\n")
            .Append(_body)
            .ToString();
        Console.WriteLine(text);
        if (!write)
        {
            return;
        }

        if (FindResultsDirectory() is not { } directory)
        {
            await Console.Error.WriteLineAsync("Not run from inside the repository (no Orleans.sln and bench/ above the current directory); the result was not written.");
            return;
        }

        var path = Path.Combine(directory, _suite + ".md");
        await File.WriteAllTextAsync(path, text.TrimEnd() + "\n");
        await Console.Error.WriteLineAsync($"Written to {path}");
    }

    private static string? FindResultsDirectory()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")) && Directory.Exists(Path.Combine(directory.FullName, "bench")))
            {
                return Directory.CreateDirectory(Path.Combine(directory.FullName, "bench", "results")).FullName;
            }
        }

        return null;
    }
}
