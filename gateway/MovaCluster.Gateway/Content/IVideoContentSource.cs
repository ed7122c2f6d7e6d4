using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Gateway.Content;

/// <summary>Where the gateway reads finished clips and their variants from.</summary>
public interface IVideoContentSource
{
    /// <summary>The asset of a completed job, or null when this variant does not exist.</summary>
    Task<VideoContent?> OpenAsync(JobSnapshot job, VideoVariant variant, CancellationToken cancellationToken);

    /// <summary>Deletes every asset of the job; missing assets are not an error.</summary>
    Task DeleteAsync(JobSnapshot job, CancellationToken cancellationToken);
}
