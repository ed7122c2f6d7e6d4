using TorchSharp;

namespace MovaCluster.Model.Positional;

/// <summary>
/// The bridge's aligned cross-modal RoPE (rotate-half pairing, float32 tables). Audio tokens sit at positions
/// 0..La−1 (audio latent steps); every token of latent video frame j sits at j·audio_fps/(video_fps/4). The float32
/// op order follows the official code so the tables match bit for bit (NUMERICS 5 and 6).
/// </summary>
public static class BridgeRotary
{
    /// <summary>Builds (cos, sin) [1, L, headDim] for the video and audio tokens, cast to <paramref name="dtype"/>.</summary>
    public static BridgeRopeTables Build(
        int headDim,
        double audioFps,
        double videoFps,
        (long Frames, long Height, long Width) grid,
        long audioLength,
        bool firstFrameBias,
        torch.ScalarType dtype,
        torch.Device device)
    {
        using var scope = torch.NewDisposeScope();
        var f32 = torch.ScalarType.Float32;
        var inverse = torch.pow(10000.0f, torch.arange(0, headDim, 2, torch.ScalarType.Int64, device).to(f32).div_((float)headDim)).reciprocal_();

        var audioPositions = torch.arange(audioLength, f32, device);
        torch.Tensor framePositions;
        if (firstFrameBias)
        {
            framePositions = torch.zeros(grid.Frames, f32, device);
            if (grid.Frames > 1)
            {
                var step = (float)(1.0 / (videoFps / 4.0));
                var rest = torch.arange(grid.Frames - 1, f32, device).mul_(step).add_((float)(1.0 / videoFps));
                framePositions.narrow(0, 1, grid.Frames - 1).copy_(rest);
            }

            framePositions = framePositions.mul((float)audioFps);
        }
        else
        {
            var scale = (float)(audioFps / (videoFps / 4.0));
            framePositions = torch.arange(grid.Frames, f32, device).mul_(scale);
        }

        var videoPositions = framePositions.repeat_interleave(grid.Height * grid.Width);
        var (videoCos, videoSin) = CosSin(videoPositions, inverse, dtype);
        var (audioCos, audioSin) = CosSin(audioPositions, inverse, dtype);
        return new BridgeRopeTables(
            videoCos.MoveToOuterDisposeScope(),
            videoSin.MoveToOuterDisposeScope(),
            audioCos.MoveToOuterDisposeScope(),
            audioSin.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Applies rotate-half RoPE to q or k [B, L, heads·headDim] with (cos, sin) [1, L, headDim]:
    /// out = x·cos + cat(−x₂, x₁)·sin per head, in the input dtype.
    /// </summary>
    public static torch.Tensor Apply(torch.Tensor x, torch.Tensor cos, torch.Tensor sin, int headDim)
    {
        using var scope = torch.NewDisposeScope();
        var shape = x.shape;
        var heads = x.view(shape[0], shape[1], shape[2] / headDim, headDim);
        var half = headDim / 2;
        var rotated = torch.cat([heads.narrow(-1, half, half).neg(), heads.narrow(-1, 0, half)], -1);
        var c = cos.unsqueeze(2);
        var s = sin.unsqueeze(2);
        var result = (heads * c).add_(rotated.mul_(s));
        return result.view(shape).MoveToOuterDisposeScope();
    }

    private static (torch.Tensor Cos, torch.Tensor Sin) CosSin(torch.Tensor positions, torch.Tensor inverse, torch.ScalarType dtype)
    {
        var angles = torch.outer(positions, inverse).unsqueeze(0);
        var embedding = torch.cat([angles, angles], -1);
        return (embedding.cos().to(dtype), embedding.sin().to(dtype));
    }
}
