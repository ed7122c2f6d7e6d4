using MovaCluster.Contracts.Jobs;
using MovaCluster.Storage;

namespace MovaCluster.Api.Content;

/// <summary>
/// Reads assets from the cluster's clip store (local disk or S3), under the job's tenant and id, by the names of
/// <see cref="StandardVariants"/> (<c>video.mp4</c>, <c>thumbnail.webp</c> or <c>.jpg</c>, <c>spritesheet.jpg</c> or
/// <c>.webp</c>), served with the content type stored with the object. The tenant comes from the job grain, never
/// from the request.
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

        foreach (var file in StandardVariants.ForApiVariant(ApiName(variant)))
        {
            var name = new ClipObjectName(job.TenantId, job.JobId, file);
            try
            {
                var stored = await store.GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
                return new VideoAsset(name, stored.Size, stored.Metadata.ContentType, stored.LastModified);
            }
            catch (ClipNotFoundException)
            {
            }
        }

        return null;
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

    /// <summary>The OpenAI API's name of the variant (<c>video</c>, <c>thumbnail</c>, <c>spritesheet</c>).</summary>
    public static string ApiName(VideoVariant variant) => variant switch
    {
        VideoVariant.Video => "video",
        VideoVariant.Thumbnail => "thumbnail",
        _ => "spritesheet",
    };
}
