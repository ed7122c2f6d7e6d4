namespace MovaCluster.Model.Lora;

/// <summary>
/// The denoising components an official MOVA LoRA adapts, by the attribute names the official pipeline gives them;
/// adapter layer names start with one of these (<c>video_dit.blocks.0.self_attn.q</c>).
/// </summary>
public static class MovaLoraComponents
{
    /// <summary>The high-noise video expert.</summary>
    public const string HighNoiseVideo = "video_dit";

    /// <summary>The low-noise video expert.</summary>
    public const string LowNoiseVideo = "video_dit_2";

    /// <summary>The audio tower.</summary>
    public const string Audio = "audio_dit";

    /// <summary>The dual-tower bridge.</summary>
    public const string Bridge = "dual_tower_bridge";

    /// <summary>All four, in the order the official loader visits them.</summary>
    public static IReadOnlyList<string> All { get; } = [HighNoiseVideo, LowNoiseVideo, Audio, Bridge];

    /// <summary>True for one of the four component names.</summary>
    public static bool IsComponent(string name) => All.Contains(name, StringComparer.Ordinal);
}
