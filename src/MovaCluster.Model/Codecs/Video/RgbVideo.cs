namespace MovaCluster.Model.Codecs.Video;

/// <summary>Decoded video: frames of packed uint8 RGB (row-major, 3 bytes per pixel), as MOVA hands to the muxer.</summary>
public sealed record RgbVideo(int Width, int Height, IReadOnlyList<byte[]> Frames)
{
    public int FrameCount => Frames.Count;
}
