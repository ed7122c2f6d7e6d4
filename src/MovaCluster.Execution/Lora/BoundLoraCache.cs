namespace MovaCluster.Execution.Lora;

/// <summary>
/// The adapters bound on one device (or set of stage devices), by digest, least recently used first out: beyond
/// the byte budget, adapters that are neither in use (active or merged) nor kept for the job being set up are
/// disposed. Used from the device thread only.
/// </summary>
public sealed class BoundLoraCache<TBound>(long budgetBytes, Func<TBound, long> bytesOf, Func<TBound, bool> inUse, Action<TBound> release) : IDisposable
    where TBound : class
{
    private readonly LinkedList<(string Digest, TBound Bound)> _order = new();
    private readonly Dictionary<string, LinkedListNode<(string Digest, TBound Bound)>> _byDigest = new(StringComparer.Ordinal);

    /// <summary>Digests held, most recently used first.</summary>
    public IReadOnlyList<string> Held => [.. _order.Select(entry => entry.Digest)];

    /// <summary>Bytes of every adapter held.</summary>
    public long Bytes => _order.Sum(entry => bytesOf(entry.Bound));

    public long BudgetBytes => budgetBytes;

    /// <summary>Adapters bound because they were not held (a measure of what affinity saves).</summary>
    public long Loads { get; private set; }

    /// <summary>The held adapter (now the most recently used), or a new one from <paramref name="bind"/>.</summary>
    public TBound GetOrBind(string digest, Func<TBound> bind)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(bind);
        if (_byDigest.TryGetValue(digest, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Bound;
        }

        var bound = bind();
        _byDigest[digest] = _order.AddFirst((digest, bound));
        Loads++;
        return bound;
    }

    public bool Holds(string digest) => _byDigest.ContainsKey(digest);

    /// <summary>Drops least recently used adapters until the budget holds, sparing those in use and <paramref name="keep"/>.</summary>
    public void Trim(IReadOnlySet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var bytes = Bytes;
        for (var node = _order.Last; node is not null && bytes > budgetBytes;)
        {
            var previous = node.Previous;
            var (digest, bound) = node.Value;
            if (!keep.Contains(digest) && !inUse(bound))
            {
                bytes -= bytesOf(bound);
                _order.Remove(node);
                _byDigest.Remove(digest);
                release(bound);
            }

            node = previous;
        }
    }

    /// <summary>Releases every adapter; none may be in use.</summary>
    public void Dispose()
    {
        foreach (var (_, bound) in _order)
        {
            release(bound);
        }

        _order.Clear();
        _byDigest.Clear();
    }
}
