using MovaCluster.Contracts.Jobs;
using MovaCluster.Storage;

namespace MovaCluster.Gateway.Content;

/// <summary>
/// Reads assets from the cluster's clip store (local disk or S3), under the job's tenant and id: <c>video.mp4</c>,
/// <c>thumbnail.jpg</c>, <c>spritesheet.jpg</c>. The tenant comes from the job grain, never from the request.
/// </summary>
public sealed class ClipStoreContentSource(IClipStore store) : IVideoContentSource
{
    public async Task<VideoAsset?> FindAsync(JobSnapshot job, VideoVariant variant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Clip is null)
        {
            return null;
        }

        var name = new ClipObjectName(job.TenantId, job.JobId, FileName(variant));
        try
        {
            var stored = await store.GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
            var contentType = variant == VideoVariant.Video ? job.Clip.ContentType : "image/jpeg";
            return new VideoAsset(name, stored.Size, contentType, stored.LastModified);
        }
        catch (ClipNotFoundException)
        {
            return null;
        }
    }

    public Task<Stream> OpenAsync(VideoAsset asset, ByteRange? range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return store.OpenReadAsync(asset.Name, range, cancellationToken);
    }

    public Task DeleteAsync(JobSnapshot job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return store.DeleteClipAsync(job.TenantId, job.JobId, cancellationToken);
    }

    public static string FileName(VideoVariant variant) => variant switch
    {
        VideoVariant.Video => "video.mp4",
        VideoVariant.Thumbnail => "thumbnail.jpg",
        _ => "spritesheet.jpg",
    };
}
