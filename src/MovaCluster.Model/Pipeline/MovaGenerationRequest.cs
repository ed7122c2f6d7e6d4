using MovaCluster.Model.Caching;
using TorchSharp;

namespace MovaCluster.Model.Pipeline;

/// <summary>
/// One image+text → video+audio request. <see cref="ReferenceImage"/> is MOVA's [1, 3, Height, Width] tensor in
/// [-1, 1] (see <c>ReferenceImageLoader</c>). Defaults follow the official script except the size.
/// </summary>
public sealed record MovaGenerationRequest
{
    /// <summary>The Wan negative prompt the official script uses by default.</summary>
    public const string DefaultNegativePrompt =
        "色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指";

    public required string Prompt { get; init; }

    public string NegativePrompt { get; init; } = DefaultNegativePrompt;

    public required torch.Tensor ReferenceImage { get; init; }

    public required int Height { get; init; }

    public required int Width { get; init; }

    /// <summary>Frames of the clip; must be 1 + 4k (default 193).</summary>
    public int NumFrames { get; init; } = 193;

    public double Fps { get; init; } = 24.0;

    public int NumInferenceSteps { get; init; } = 50;

    public double CfgScale { get; init; } = 5.0;

    /// <summary>Seed of the noise generator (video noise drawn first, then audio, as the official pipeline does).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Step and block cache settings (a resolved <see cref="CachePolicy"/>); null = off, the exact path (default).</summary>
    public CacheSettings? Cache { get; init; }

    /// <summary>Every problem with the request (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Height <= 0 || Width <= 0 || Height % 16 != 0 || Width % 16 != 0)
        {
            errors.Add($"height and width must be positive multiples of 16 (got {Height}x{Width}).");
        }

        if (NumFrames < 1 || (NumFrames - 1) % 4 != 0)
        {
            errors.Add($"num_frames must be 1 + 4k (got {NumFrames}).");
        }

        if (!(Fps > 0))
        {
            errors.Add($"fps must be positive (got {Fps}).");
        }

        if (NumInferenceSteps < 1)
        {
            errors.Add($"num_inference_steps must be at least 1 (got {NumInferenceSteps}).");
        }

        if (!(CfgScale >= 1.0))
        {
            errors.Add($"cfg_scale must be at least 1 (got {CfgScale}).");
        }

        if (ReferenceImage is not null && (ReferenceImage.dim() != 4 || ReferenceImage.shape[1] != 3
            || ReferenceImage.shape[2] != Height || ReferenceImage.shape[3] != Width))
        {
            errors.Add($"reference image must be [1, 3, {Height}, {Width}] (got [{string.Join(", ", ReferenceImage.shape)}]).");
        }

        if (Cache is not null)
        {
            errors.AddRange(Cache.Validate().Select(e => $"cache: {e}"));
        }

        return errors;
    }
}
