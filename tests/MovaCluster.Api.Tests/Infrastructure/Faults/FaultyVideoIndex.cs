using MovaCluster.Api.Videos;

namespace MovaCluster.Api.Tests.Infrastructure.Faults;

/// <summary>The real index, with an injectable failure around adding a video.</summary>
public sealed class FaultyVideoIndex(IVideoIndex inner, CreateFaults faults) : IVideoIndex
{
    public async Task<bool> AddAsync(VideoRecord record, CancellationToken cancellationToken)
    {
        faults.At(CreateStep.IndexAdd, afterEffect: false);
        var added = await inner.AddAsync(record, cancellationToken);
        faults.At(CreateStep.IndexAdd, afterEffect: true);
        return added;
    }

    public Task<VideoRecord?> GetAsync(string tenantId, string videoId, CancellationToken cancellationToken) => inner.GetAsync(tenantId, videoId, cancellationToken);

    public Task<bool> RemoveAsync(string tenantId, string videoId, CancellationToken cancellationToken) => inner.RemoveAsync(tenantId, videoId, cancellationToken);

    public Task<VideoPage> ListAsync(string tenantId, VideoRecord? after, int limit, bool ascending, CancellationToken cancellationToken) =>
        inner.ListAsync(tenantId, after, limit, ascending, cancellationToken);
}
