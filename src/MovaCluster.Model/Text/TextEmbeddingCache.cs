using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary>
/// Least-recently-used cache of prompt embeddings keyed by <see cref="TextEmbeddingKey"/>, bounded by entry count and
/// bytes. Pinned entries (the negative prompt) are never evicted. Stored tensors live on the CPU and belong to the
/// cache; callers get their own copy on the device they ask for.
/// </summary>
public sealed class TextEmbeddingCache : IDisposable
{
    private readonly TextEmbeddingCacheOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<TextEmbeddingKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private long _bytes;

    public TextEmbeddingCache(IOptions<TextEmbeddingCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(TextEmbeddingCacheOptions.SectionName, typeof(TextEmbeddingCacheOptions), errors);
        }
    }

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>
    /// The cached embedding for <paramref name="key"/>, or the result of <paramref name="encode"/> stored for next time.
    /// Encoding runs outside the lock; two racing callers may both encode, one result is kept.
    /// </summary>
    public Tensor GetOrAdd(TextEmbeddingKey key, Func<Tensor> encode, Device device, bool pin = false)
    {
        ArgumentNullException.ThrowIfNull(encode);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                Hits++;
                _recency.Remove(node);
                _recency.AddFirst(node);
                node.Value.Pinned |= pin;
                return node.Value.Embedding.to(device, copy: true);
            }

            Misses++;
        }

        using var encoded = encode();
        var stored = encoded.detach().to(CPU, copy: true).DetachFromDisposeScope();
        lock (_gate)
        {
            if (_entries.ContainsKey(key))
            {
                stored.Dispose();
            }
            else
            {
                var node = _recency.AddFirst(new Entry(key, stored) { Pinned = pin });
                _entries[key] = node;
                _bytes += SizeOf(stored);
                Evict();
            }

            return _entries.TryGetValue(key, out var kept) ? kept.Value.Embedding.to(device, copy: true) : encoded.to(device, copy: true);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _recency)
            {
                entry.Embedding.Dispose();
            }

            _recency.Clear();
            _entries.Clear();
            _bytes = 0;
        }
    }

    private static long SizeOf(Tensor t) => t.NumberOfElements * t.ElementSize;

    private void Evict()
    {
        var node = _recency.Last;
        while (node is not null && (_entries.Count > _options.MaxEntries || _bytes > _options.MaxBytes))
        {
            var previous = node.Previous;
            if (!node.Value.Pinned)
            {
                _recency.Remove(node);
                _entries.Remove(node.Value.Key);
                _bytes -= SizeOf(node.Value.Embedding);
                node.Value.Embedding.Dispose();
            }

            node = previous;
        }
    }

    private sealed class Entry(TextEmbeddingKey key, Tensor embedding)
    {
        public TextEmbeddingKey Key { get; } = key;

        public Tensor Embedding { get; } = embedding;

        public bool Pinned { get; set; }
    }
}
