using System.Collections.Concurrent;

namespace Ripcord.Testing.Grains;

/// <summary>How many more times a test grain's handler fails for a key, and how many times it was called.</summary>
public sealed class FailurePlan
{
    private readonly ConcurrentDictionary<string, int> _remaining = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public void FailTimes(string key, int times) => _remaining[key] = times;

    public int Calls(string key) => _calls.GetValueOrDefault(key);

    internal bool ShouldFail(string key)
    {
        _calls.AddOrUpdate(key, 1, static (_, c) => c + 1);
        while (true)
        {
            var left = _remaining.GetValueOrDefault(key);
            if (left <= 0)
            {
                return false;
            }

            if (_remaining.TryUpdate(key, left - 1, left))
            {
                return true;
            }
        }
    }
}
