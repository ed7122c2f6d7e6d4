namespace MovaCluster.Grains.Adapters;

/// <summary>A job's adapter folders on this silo, kept from eviction until disposed.</summary>
internal sealed class LoraFileLease(IReadOnlyDictionary<string, string> folders, Action release) : IDisposable
{
    private int _released;

    public static LoraFileLease Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal), () => { });

    /// <summary>Local folder by digest.</summary>
    public IReadOnlyDictionary<string, string> Folders { get; } = folders;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
