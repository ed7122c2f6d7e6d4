using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Positional;
using TorchSharp;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// Sizes a layer range of the dual-tower stack from the configs alone (no weights built), for planning
/// placements: exact parameter bytes, and an activation estimate that assumes a memory-efficient SDPA (no
/// L×L score matrix) and the per-layer dispose scopes this implementation uses.
/// </summary>
public static class ShardMemoryEstimator
{
    /// <summary>Exact bytes of the parameters a one-expert <see cref="LayerRangeStage"/> over [start, end) holds.</summary>
    public static long ParameterBytes(WanModelConfig video, WanAudioModelConfig audio, BridgeConfig bridge, int start, int end, DTypePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(bridge);
        ArgumentNullException.ThrowIfNull(policy);
        var elements = 0L;
        var interaction = bridge.InteractionLayers.ToHashSet();
        for (var layer = start; layer < end; layer++)
        {
            elements += BlockElements(video.Dim, video.FfnDim);
            if (layer < audio.NumLayers)
            {
                elements += BlockElements(audio.Dim, audio.FfnDim);
                if (interaction.Contains(layer))
                {
                    elements += ConditionerElements(bridge.VisualHiddenDim, bridge.AudioHiddenDim) + ConditionerElements(bridge.AudioHiddenDim, bridge.VisualHiddenDim);
                }
            }
        }

        return elements * ElementSize(policy.WeightDType);
    }

    /// <summary>Activation estimate of [start, end) for the given token counts.</summary>
    public static ActivationEstimate Activations(WanModelConfig video, WanAudioModelConfig audio, BridgeConfig bridge, int start, int end, TokenCounts tokens, DTypePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(bridge);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(policy);
        var e = (long)ElementSize(policy.WeightDType);
        const long Complex128 = 16;
        var (lv, la, lc) = (tokens.Video, tokens.Audio, tokens.Text);
        var (dv, da) = ((long)video.Dim, (long)audio.Dim);
        var hasAudio = start < audio.NumLayers;

        var resident = (lv * dv + lc * dv + 7 * dv) * e + lv * (video.HeadDim / 2) * Complex128;
        if (hasAudio)
        {
            resident += (la * da + lc * da + 7 * da) * e + la * (audio.HeadDim / 2) * Complex128;
            if (bridge.ApplyCrossRope)
            {
                resident += 2 * (lv + la) * bridge.HeadDim * e;
            }
        }

        var peak = Math.Max(BlockTransient(lv, dv, video.FfnDim, lc, e), hasAudio ? BlockTransient(la, da, audio.FfnDim, lc, e) : 0);
        if (hasAudio && bridge.InteractionLayers.Any(l => l >= start && l < end))
        {
            // The a2v and v2a deltas are both alive before the two residual adds.
            var audioToVideo = lv * dv * 4 * e + la * da * e + 2 * la * dv * e;
            var videoToAudio = la * da * 4 * e + lv * dv * e + 2 * lv * da * e;
            peak = Math.Max(peak, audioToVideo + videoToAudio + (lv * dv + la * da) * e);
        }

        return new ActivationEstimate(resident, peak);
    }

    // Self-attention phase: normed + modulated input, q, k, v, the float64 RoPE temporary of one token
    // chunk (8 bytes per channel, rotated in place), attention output and projection; the FFN
    // phase holds input, hidden, activated hidden and output. The larger phase bounds the block.
    private static long BlockTransient(long tokens, long dim, long ffn, long context, long e)
    {
        var attention = tokens * dim * 6 * e + Math.Min(tokens, RotaryTables.ApplyChunkTokens) * dim * 8 + 2 * context * dim * e;
        var feedForward = tokens * (2 * dim + 2 * ffn) * e;
        return Math.Max(attention, feedForward) + tokens * dim * e;
    }

    private static long BlockElements(long dim, long ffn) =>
        2 * (4 * (dim * dim + dim) + 2 * dim) + 2 * dim + (ffn * dim + ffn + dim * ffn + dim) + 6 * dim;

    private static long ConditionerElements(long dim, long kvDim) =>
        2 * kvDim + (dim * dim + dim) * 2 + (dim * kvDim + dim) * 2 + 2 * dim;

    private static int ElementSize(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float64 => 8,
        torch.ScalarType.Float32 => 4,
        torch.ScalarType.Float16 or torch.ScalarType.BFloat16 => 2,
        _ => throw new NotSupportedException($"Weights of dtype {type} are not supported."),
    };
}
