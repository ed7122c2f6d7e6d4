namespace MovaCluster.Testing;

/// <summary>The ffmpeg and ffprobe binaries the media tests run for real.</summary>
public static class FfmpegTools
{
    public static string Ffmpeg => ExternalTool.Require("ffmpeg", "ffmpeg");

    public static string Ffprobe => ExternalTool.Require("ffprobe", "ffmpeg");

    /// <summary>The folder holding both, as FFMpegCore's BinaryFolder option expects.</summary>
    public static string BinaryFolder => Path.GetDirectoryName(Ffmpeg)!;
}
