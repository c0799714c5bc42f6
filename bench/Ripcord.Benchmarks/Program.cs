using Ripcord.Benchmarks.Cancel;
using Ripcord.Benchmarks.Postgres;
using Ripcord.Benchmarks.Runtime;

// Plain console harness: each suite prints a Markdown table that goes, with the machine and the command, into
// bench/results/. Run in Release: dotnet run -c Release --project bench/Ripcord.Benchmarks -- <suite>
var suite = args.Length > 0 ? args[0] : "runtime";
var rest = args.Skip(1).ToArray();
switch (suite)
{
    case "runtime":
        await RuntimeBenchmarks.RunAsync(rest);
        break;
    case "postgres":
        await PostgresBenchmarks.RunAsync(rest);
        break;
    case "cancel":
        await CancelLatencyBenchmarks.RunAllAsync(rest);
        break;
    default:
        Console.Error.WriteLine($"Unknown suite '{suite}'. Suites: runtime, postgres, cancel.");
        return 2;
}

return 0;
