using Ripcord.Benchmarks.Cancel;
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
    case "cancel":
        Console.WriteLine("| store | cancels | p50 ms | p99 ms | mean ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        await CancelLatencyBenchmarks.RunAsync(rest);
        break;
    default:
        Console.Error.WriteLine($"Unknown suite '{suite}'. Suites: runtime, cancel.");
        return 2;
}

return 0;
