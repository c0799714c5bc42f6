using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// Diagnostics (<c>--jit</c>): listens to the runtime's JIT events and tallies the methods compiled while
/// <see cref="Enabled"/>, by namespace. A steady load should compile next to nothing; what does points at code that
/// is generated anew (dynamic methods, fresh serializer options, new generic instantiations).
/// </summary>
internal sealed partial class JitTally : EventListener
{
    private const int MethodJittingStarted = 145;
    private readonly ConcurrentDictionary<string, int> _methods = new(StringComparer.Ordinal);

    public bool Enabled { get; set; }

    public void Clear() => _methods.Clear();

    /// <summary>Table rows: method, compilations; the most compiled first.</summary>
    public IEnumerable<string[]> Rows(int top) => _methods
        .OrderByDescending(m => m.Value)
        .Take(top)
        .Select(m => new[] { $"`{m.Key}`", m.Value.ToString(CultureInfo.InvariantCulture) })
        .Prepend(["all methods", _methods.Values.Sum().ToString(CultureInfo.InvariantCulture)]);

    public static readonly string[] Header = ["method compiled (namespace.name)", "compilations"];

    [System.Text.RegularExpressions.GeneratedRegex("[0-9]+")]
    private static partial System.Text.RegularExpressions.Regex Digits();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // 0x10: the JIT keyword.
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x10);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (!Enabled || eventData.EventId != MethodJittingStarted || eventData.Payload is not { Count: > 5 } payload)
        {
            return;
        }

        // Numbered names (lambda_method123, generated per expression) are counted together.
        var name = Digits().Replace($"{payload[4]}.{payload[5]}", "N");
        _methods.AddOrUpdate(name, 1, (_, n) => n + 1);
    }
}
