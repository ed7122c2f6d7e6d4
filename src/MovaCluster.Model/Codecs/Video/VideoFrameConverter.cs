using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// diffusers' postprocess_video(output_type="pil") for one sample: x·0.5+0.5 clamped to [0, 1], ×255, rounded
/// half-to-even, uint8 RGB per frame.
/// </summary>
public static class VideoFrameConverter
{
    /// <summary>Frames of <paramref name="video"/> [3, F, H, W] (values in [-1, 1]) as packed RGB bytes.</summary>
    public static IEnumerable<byte[]> ToRgbFrames(Tensor video)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (video.dim() != 4 || video.shape[0] != 3)
        {
            throw new ArgumentException($"Expected a [3, F, H, W] video, got [{string.Join(", ", video.shape)}].", nameof(video));
        }

        long frames = video.shape[1];
        for (long f = 0; f < frames; f++)
        {
            using var scope = torch.NewDisposeScope();
            var frame = video.select(1, f).to(ScalarType.Float32, CPU);
            var bytes = ((frame * 0.5 + 0.5).clamp(0.0, 1.0) * 255.0).round().to(ScalarType.Byte).permute(1, 2, 0).contiguous();
            yield return bytes.data<byte>().ToArray();
        }
    }
}
