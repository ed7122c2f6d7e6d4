namespace MovaCluster.Media.Muxing;

/// <summary>Encodes frames plus mono PCM into a seekable MP4 (H.264 yuv420p + AAC, moov atom first).</summary>
public interface IClipMuxer
{
    /// <summary>
    /// Writes <paramref name="request"/> to <paramref name="outputPath"/> (overwritten). The output ends with the
    /// shorter of the two streams, as MOVA's reference mux does with <c>-shortest</c>.
    /// </summary>
    Task<ClipMuxResult> MuxAsync(ClipMuxRequest request, string outputPath, CancellationToken cancellationToken);
}
