namespace MovaCluster.Api.Videos;

/// <summary>Each tenant's videos, ordered by creation: the tenant scope of every read and the source of listings.</summary>
public interface IVideoIndex
{
    /// <summary>Adds the record; false (and no change) when a video with that id exists.</summary>
    Task<bool> AddAsync(VideoRecord record, CancellationToken cancellationToken);

    /// <summary>The tenant's video with that id; null when absent or another tenant's.</summary>
    Task<VideoRecord?> GetAsync(string tenantId, string videoId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the video. A deletion (<paramref name="deleted"/>) leaves a tombstone for its id: a video created with an
    /// Idempotency-Key has an id derived from the key, and a retried create must not bring a deleted video back (or
    /// charge it again). Undoing a create that failed leaves none, so the client's retry creates the video afresh.
    /// </summary>
    Task<bool> RemoveAsync(string tenantId, string videoId, bool deleted, CancellationToken cancellationToken);

    /// <summary>True when the tenant deleted a video with this id.</summary>
    Task<bool> WasDeletedAsync(string tenantId, string videoId, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> videos strictly after the cursor video <paramref name="after"/> (if given) in
    /// creation order, oldest first when <paramref name="ascending"/>.
    /// </summary>
    Task<VideoPage> ListAsync(string tenantId, VideoRecord? after, int limit, bool ascending, CancellationToken cancellationToken);
}
