using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovaCluster.Media.Decoding;
using MovaCluster.Media.Muxing;
using MovaCluster.Media.Previews;
using MovaCluster.Media.Variants;
using MovaCluster.Testing;

namespace MovaCluster.Media.Tests;

/// <summary>The media services wired to the ffmpeg the tests found, with optional option tweaks.</summary>
internal sealed class MediaTestServices
{
    public MediaTestServices(Action<MediaOptions>? configure = null)
    {
        var options = new MediaOptions { FfmpegFolder = FfmpegTools.BinaryFolder };
        configure?.Invoke(options);
        Options = Microsoft.Extensions.Options.Options.Create(options);
        Binaries = new FfmpegBinaries(Options);
        Muxer = new ClipMuxer(Binaries, Options, NullLogger<ClipMuxer>.Instance);
        Decoder = new ClipDecoder(Binaries);
        Variants = new ClipVariants(Options);
        Previews = new LatentPreviewRenderer(Options);
    }

    public IOptions<MediaOptions> Options { get; }

    public FfmpegBinaries Binaries { get; }

    public ClipMuxer Muxer { get; }

    public ClipDecoder Decoder { get; }

    public ClipVariants Variants { get; }

    public LatentPreviewRenderer Previews { get; }
}
