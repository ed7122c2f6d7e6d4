namespace MovaCluster.Storage;

/// <summary>What both clip stores do the same way: stat listed names, and bound download-link lifetimes.</summary>
internal static class ClipListing
{
    /// <summary>Stats every name; a clip deleted between the listing and its stat is not part of the answer.</summary>
    public static async Task<IReadOnlyList<StoredClip>> StatAllAsync(
        IEnumerable<ClipObjectName> names, Func<ClipObjectName, CancellationToken, Task<StoredClip>> stat, CancellationToken cancellationToken)
    {
        var clips = new List<StoredClip>();
        foreach (var name in names)
        {
            try
            {
                clips.Add(await stat(name, cancellationToken).ConfigureAwait(false));
            }
            catch (ClipNotFoundException)
            {
            }
        }

        return clips;
    }

    /// <summary>The requested link lifetime, or the configured default; 1 second to 7 days.</summary>
    public static TimeSpan LinkLifetime(TimeSpan? expiry, StorageOptions options)
    {
        var lifetime = expiry ?? options.DownloadLinkExpiry;
        return lifetime >= TimeSpan.FromSeconds(1) && lifetime <= StorageOptionsValidator.MaxLinkExpiry
            ? lifetime
            : throw new ArgumentOutOfRangeException(nameof(expiry), lifetime, "Download links live between 1 second and 7 days.");
    }
}
