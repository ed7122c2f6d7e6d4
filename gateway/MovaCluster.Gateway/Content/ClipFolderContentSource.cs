using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Gateway.Configuration;

namespace MovaCluster.Gateway.Content;

/// <summary>
/// Clips in a folder shared with the workers (<see cref="GatewayOptions.ClipDirectory"/>): the clip is the job's
/// <see cref="ClipLocation.Key"/>, and variants sit beside it as <c>{key stem}.thumbnail.jpg</c> and
/// <c>{key stem}.spritesheet.jpg</c>. Keys that would leave the folder are refused.
/// </summary>
public sealed class ClipFolderContentSource(IOptions<GatewayOptions> options) : IVideoContentSource
{
    public Task<VideoContent?> OpenAsync(JobSnapshot job, VideoVariant variant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Clip is not { } clip || PathOf(clip, variant) is not { } path || !File.Exists(path))
        {
            return Task.FromResult<VideoContent?>(null);
        }

        var contentType = variant == VideoVariant.Video ? clip.ContentType : "image/jpeg";
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true);
        return Task.FromResult<VideoContent?>(new VideoContent(stream, contentType, File.GetLastWriteTimeUtc(path)));
    }

    public Task DeleteAsync(JobSnapshot job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Clip is { } clip)
        {
            foreach (var variant in Enum.GetValues<VideoVariant>())
            {
                if (PathOf(clip, variant) is { } path)
                {
                    File.Delete(path);
                }
            }
        }

        return Task.CompletedTask;
    }

    private string? PathOf(ClipLocation clip, VideoVariant variant)
    {
        var root = Path.GetFullPath(options.Value.ClipDirectory);
        var key = variant switch
        {
            VideoVariant.Video => clip.Key,
            VideoVariant.Thumbnail => Stem(clip.Key) + ".thumbnail.jpg",
            _ => Stem(clip.Key) + ".spritesheet.jpg",
        };
        var path = Path.GetFullPath(Path.Combine(root, key));
        return path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }

    private static string Stem(string key)
    {
        var extension = Path.GetExtension(key);
        return extension.Length == 0 ? key : key[..^extension.Length];
    }
}
