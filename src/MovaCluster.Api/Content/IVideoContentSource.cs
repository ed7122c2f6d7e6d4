using MovaCluster.Contracts.Jobs;
using MovaCluster.Storage;

namespace MovaCluster.Api.Content;

/// <summary>Where the gateway reads finished clips and their variants from.</summary>
public interface IVideoContentSource
{
    /// <summary>The asset of a completed job, or null when this variant does not exist.</summary>
    Task<VideoAsset?> FindAsync(JobSnapshot job, VideoVariant variant, CancellationToken cancellationToken);

    /// <summary>Opens the asset, or <paramref name="range"/> of it.</summary>
    Task<Stream> OpenAsync(VideoAsset asset, ByteRange? range, CancellationToken cancellationToken);

    /// <summary>Deletes every asset of the job; missing assets are not an error.</summary>
    Task DeleteAsync(JobSnapshot job, CancellationToken cancellationToken);
}
