using FFMpegCore;
using Microsoft.Extensions.Options;

namespace MovaCluster.Media;

/// <summary>
/// Per-call FFMpegCore settings built from <see cref="MediaOptions"/>; never the process-wide
/// <see cref="GlobalFFOptions"/>, so two hosts in one process can point at different binaries.
/// </summary>
public sealed class FfmpegBinaries(IOptions<MediaOptions> options)
{
    /// <summary>Returns fresh FFMpegCore options for one ffmpeg or ffprobe run.</summary>
    public FFOptions Create() => new()
    {
        BinaryFolder = options.Value.FfmpegFolder,
        TemporaryFilesFolder = Path.GetTempPath(),
    };
}
