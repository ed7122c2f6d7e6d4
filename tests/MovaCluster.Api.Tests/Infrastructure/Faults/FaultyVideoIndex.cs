using MovaCluster.Api.Videos;

namespace MovaCluster.Api.Tests.Infrastructure.Faults;

/// <summary>The real index, with injectable failures around adding a video and before removing one.</summary>
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

    public Task<bool> RemoveAsync(string tenantId, string videoId, bool deleted, CancellationToken cancellationToken)
    {
        faults.At(CreateStep.IndexRemove, afterEffect: false);
        return inner.RemoveAsync(tenantId, videoId, deleted, cancellationToken);
    }

    public Task<bool> WasDeletedAsync(string tenantId, string videoId, CancellationToken cancellationToken) => inner.WasDeletedAsync(tenantId, videoId, cancellationToken);

    public Task<VideoPage> ListAsync(string tenantId, VideoRecord? after, int limit, bool ascending, CancellationToken cancellationToken) =>
        inner.ListAsync(tenantId, after, limit, ascending, cancellationToken);
}
