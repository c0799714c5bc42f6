using Ripcord.Benchmarks.Infrastructure;
using Ripcord.Benchmarks.Suites;

// One console program, one suite per argument. Each suite prints a Markdown report (machine, command, date, its
// results beside their floors) and writes it to bench/results/{suite}.md unless --no-write is given.
// Run in Release from the repository root: dotnet run -c Release --project bench/Ripcord.Benchmarks -- <suite>
var suites = new Dictionary<string, Func<Arguments, Task>>(StringComparer.Ordinal)
{
    ["cancel"] = CancelSuite.RunAsync,
    ["termination"] = TerminationSuite.RunAsync,
    ["hop"] = HopSuite.RunAsync,
    ["lifecycle"] = LifecycleSuite.RunAsync,
    ["failover"] = FailoverSuite.RunAsync,
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"Usage: dotnet run -c Release --project bench/Ripcord.Benchmarks -- <suite> [options] [--no-write]. Suites: {string.Join(", ", suites.Keys)} (see bench/README.md).");
    return 2;
}

if (Machine.Configuration != "Release")
{
    Console.Error.WriteLine("Warning: this is a Debug build; numbers from it are not comparable. Run with -c Release.");
}

await run(new Arguments(args[1..]));
return 0;
