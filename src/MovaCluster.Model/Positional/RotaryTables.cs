using TorchSharp;

namespace MovaCluster.Model.Positional;

/// <summary>
/// The towers' self-attention RoPE tables, complex128 like the official <c>precompute_freqs_cis*</c>: per axis of
/// d channels, ω_j = 1 / 10000^(2j/d) for j &lt; d/2 and entry e^{i·p·ω_j} at integer position p.
/// </summary>
public static class RotaryTables
{
    /// <summary>Official table lengths: positions at or beyond these fail in the reference code.</summary>
    public const int VideoAxisLength = 1024;

    /// <summary>Official audio table length.</summary>
    public const int AudioLength = 16384;

    /// <summary>Complex128 table [positions, dim/2] for one axis of <paramref name="dim"/> real channels.</summary>
    public static torch.Tensor Axis(int dim, long positions, torch.Device device)
    {
        using var scope = torch.NewDisposeScope();
        var exponents = torch.arange(0, dim, 2, torch.ScalarType.Int64, device).narrow(0, 0, dim / 2).to(torch.ScalarType.Float64).div_(dim);
        var frequencies = torch.pow(10000.0, exponents).reciprocal_();
        var angles = torch.outer(torch.arange(positions, torch.ScalarType.Int64, device).to(torch.ScalarType.Float64), frequencies);
        return torch.polar(torch.ones_like(angles), angles).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The video 3-D table [t·h·w, 1, headDim/2] for tokens in (frame, row, column) order: the frame axis takes
    /// headDim − 2⌊headDim/3⌋ channels, rows and columns ⌊headDim/3⌋ each.
    /// </summary>
    public static torch.Tensor Video(int headDim, long frames, long height, long width, torch.Device device)
    {
        var third = headDim / 3;
        var frameDim = headDim - 2 * third;
        if (frameDim / 2 + 2 * (third / 2) != headDim / 2 || headDim % 2 != 0)
        {
            throw new ArgumentException($"Head dim {headDim} cannot be split into the 3-D RoPE axes ({frameDim}/{third}/{third}).", nameof(headDim));
        }

        if (frames > VideoAxisLength || height > VideoAxisLength || width > VideoAxisLength)
        {
            throw new ArgumentOutOfRangeException(nameof(frames), $"Grid ({frames}, {height}, {width}) exceeds the {VideoAxisLength}-position RoPE tables.");
        }

        using var scope = torch.NewDisposeScope();
        var f = Axis(frameDim, frames, device).view(frames, 1, 1, -1).expand(frames, height, width, -1);
        var h = Axis(third, height, device).view(1, height, 1, -1).expand(frames, height, width, -1);
        var w = Axis(third, width, device).view(1, 1, width, -1).expand(frames, height, width, -1);
        return torch.cat([f, h, w], -1).reshape(frames * height * width, 1, -1).MoveToOuterDisposeScope();
    }

    /// <summary>The audio 1-D table [length, 1, headDim/2] (the official chunk-and-concat is the identity).</summary>
    public static torch.Tensor Audio(int headDim, long length, torch.Device device)
    {
        if (length > AudioLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Audio length exceeds the {AudioLength}-position RoPE table.");
        }

        using var scope = torch.NewDisposeScope();
        return Axis(headDim, length, device).reshape(length, 1, -1).MoveToOuterDisposeScope();
    }

    /// <summary>Tokens rotated per float64 chunk; bounds the complex128 temporary (8192 × 5120 × 8 B = 335 MB).</summary>
    public const int ApplyChunkTokens = 8192;

    /// <summary>
    /// Rotates q or k [B, L, heads·headDim] by the complex table [L, 1, headDim/2]: adjacent channel pairs are
    /// (re, im), multiplied in complex128 and cast back to the input dtype. Long sequences are rotated in token
    /// chunks (same values) so the float64 temporary stays small.
    /// </summary>
    public static torch.Tensor Apply(torch.Tensor x, torch.Tensor table, int headDim)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(table);
        var length = x.shape[1];
        if (length <= ApplyChunkTokens)
        {
            return ApplyChunk(x, table, headDim);
        }

        var output = torch.empty_like(x);
        for (long start = 0; start < length; start += ApplyChunkTokens)
        {
            var count = Math.Min(ApplyChunkTokens, length - start);
            using var source = x.narrow(1, start, count);
            using var rows = table.narrow(0, start, count);
            using var rotated = ApplyChunk(source, rows, headDim);
            using var target = output.narrow(1, start, count);
            target.copy_(rotated);
        }

        return output;
    }

    private static torch.Tensor ApplyChunk(torch.Tensor x, torch.Tensor table, int headDim)
    {
        using var scope = torch.NewDisposeScope();
        var shape = x.shape;
        var pairs = x.to(torch.ScalarType.Float64).reshape(shape[0], shape[1], shape[2] / headDim, headDim / 2, 2);
        var rotated = torch.view_as_real(torch.view_as_complex(pairs).mul_(table)).reshape(shape);
        return rotated.to(x.dtype).MoveToOuterDisposeScope();
    }
}
