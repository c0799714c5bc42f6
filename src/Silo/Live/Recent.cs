namespace Ripcord.Silo.Live;

/// <summary>
/// A value for each of the last <c>capacity</c> keys added: adding one more forgets the key added first. Setting a
/// key it holds replaces its value and keeps its place. Not thread-safe (one stream's cursor owns it).
/// </summary>
internal sealed class Recent<TValue>(int capacity)
{
    private readonly Dictionary<string, TValue> _values = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count => _values.Count;

    public bool Contains(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, out TValue value) => _values.TryGetValue(key, out value!);

    public void Set(string key, TValue value)
    {
        if (!_values.TryAdd(key, value))
        {
            _values[key] = value;
            return;
        }

        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _values.Remove(_order.Dequeue());
        }
    }
}
