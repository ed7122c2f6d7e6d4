namespace MovaCluster.Model.Dit;

/// <summary>
/// A small per-key cache of positional tables so they are built once per grid, not on every step. Cached tensors
/// are detached from dispose scopes; the least recently added entry is disposed past the capacity.
/// </summary>
internal sealed class RopeCache<TKey, TValue> : IDisposable
    where TKey : notnull
    where TValue : IDisposable
{
    private readonly int _capacity;
    private readonly Dictionary<TKey, TValue> _entries = [];
    private readonly Queue<TKey> _order = new();
    private readonly Lock _gate = new();

    public RopeCache(int capacity) => _capacity = capacity;

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> build)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                return existing;
            }

            var created = build(key);
            _entries[key] = created;
            _order.Enqueue(key);
            while (_order.Count > _capacity)
            {
                var oldest = _order.Dequeue();
                _entries.Remove(oldest, out var evicted);
                evicted?.Dispose();
            }

            return created;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var value in _entries.Values)
            {
                value.Dispose();
            }

            _entries.Clear();
            _order.Clear();
        }
    }
}
