namespace Ripcord.Simulation;

/// <summary>
/// Reads small choices out of one generated number, so that every decision of a step comes from the scenario and
/// a smaller number (what shrinking tries) means the first, plainest options.
/// </summary>
internal struct Choice(uint value)
{
    private uint _value = value;

    /// <summary>A number in [0, <paramref name="count"/>).</summary>
    public int Next(int count)
    {
        if (count <= 1)
        {
            return 0;
        }

        var picked = (int)(_value % (uint)count);
        _value /= (uint)count;
        return picked;
    }

    /// <summary>True about once in <paramref name="odds"/> draws.</summary>
    public bool OneIn(int odds) => Next(odds) == odds - 1;

    public T Of<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
