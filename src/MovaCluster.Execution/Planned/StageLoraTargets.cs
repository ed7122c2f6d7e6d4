using MovaCluster.Model.Lora;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// The adaptable layers one plan device holds, under their adapter names: its layer range
/// (<c>high_noise_blocks.3.self_attn.q</c> is <c>video_dit.blocks.3.self_attn.q</c>, and likewise
/// <c>low_noise_blocks</c> for video_dit_2, <c>audio_blocks</c> for audio_dit, <c>bridge</c> for dual_tower_bridge) and,
/// on a pipeline's first device, the stems.
/// </summary>
public static class StageLoraTargets
{
    public static LoraTargets For(StageHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var layers = LoraTargets.ForModule(host.Layers, AdapterName);
        return host.Stem is { } stem ? LoraTargets.Combine(layers, LoraTargets.ForDenoiser(stem)) : layers;
    }

    /// <summary>The adapter name of a Linear inside a <see cref="LayerRangeStage"/>, or null for one outside the four components.</summary>
    public static string? AdapterName(string stageName)
    {
        ArgumentNullException.ThrowIfNull(stageName);
        var dot = stageName.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        var rest = stageName[(dot + 1)..];
        return stageName[..dot] switch
        {
            "high_noise_blocks" => $"{MovaLoraComponents.HighNoiseVideo}.blocks.{rest}",
            "low_noise_blocks" => $"{MovaLoraComponents.LowNoiseVideo}.blocks.{rest}",
            "audio_blocks" => $"{MovaLoraComponents.Audio}.blocks.{rest}",
            "bridge" => $"{MovaLoraComponents.Bridge}.{rest}",
            _ => null,
        };
    }
}
