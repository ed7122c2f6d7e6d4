namespace MovaCluster.Media;

/// <summary>
/// Encoding and preview settings, bound from the <c>Mova:Media</c> configuration section.
/// </summary>
public sealed class MediaOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mova:Media";

    /// <summary>Folder holding the ffmpeg and ffprobe binaries; empty (the default) resolves them from PATH.</summary>
    public string FfmpegFolder { get; set; } = "";

    /// <summary>x264 constant rate factor, 0..51. Default 5, what MOVA's reference writer uses (imageio quality 9).</summary>
    public double VideoCrf { get; set; } = 5;

    /// <summary>
    /// x264 preset. Default <c>ultrafast</c>, the only preset that muxes MOVA-360p (193 frames at 352x640) in under
    /// 2 s on 2 cores whatever the frames' texture: at CRF 5 the encoder's time goes into entropy-coding the many bits
    /// of textured frames, and slower presets take 2-15x longer for files about a third smaller (BENCHMARKS.md,
    /// "Media and storage"). Set <c>veryfast</c> or <c>medium</c> to trade encode time for size.
    /// </summary>
    public string VideoPreset { get; set; } = "ultrafast";

    /// <summary>AAC bit rate in kbit/s. Default 192, as in MOVA's reference mux.</summary>
    public int AudioBitrateKbps { get; set; } = 192;

    /// <summary>JPEG/WebP quality (1..100) of thumbnails and spritesheets. Default 85.</summary>
    public int ImageQuality { get; set; } = 85;

    /// <summary>How many latent frames a step preview strip shows, evenly spaced. Default 4.</summary>
    public int PreviewStripFrames { get; set; } = 4;

    /// <summary>Upscale factor of a preview strip over the latent grid (1..8). Default 2 (44x80 -> 88x160 at 360p).</summary>
    public int PreviewScale { get; set; } = 2;

    /// <summary>JPEG quality (1..100) of step preview strips. Default 75.</summary>
    public int PreviewJpegQuality { get; set; } = 75;
}
