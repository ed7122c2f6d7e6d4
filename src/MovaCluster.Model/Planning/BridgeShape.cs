namespace MovaCluster.Model.Planning;

/// <summary>The dual-tower bridge: one audio-to-video and one video-to-audio conditioner per interacting layer.</summary>
public sealed record BridgeShape(int VideoDim, int AudioDim, IReadOnlyList<int> InteractionLayers)
{
    /// <summary>y LayerNorm (affine), q,k,v,o with bias, q/k RMSNorm over the full width.</summary>
    private static long ConditionerParameters(long dim, long kvDim) => (2 * dim * dim) + (2 * dim * kvDim) + (6 * dim) + (2 * kvDim);

    public long AudioToVideoParameters => ConditionerParameters(VideoDim, AudioDim);

    public long VideoToAudioParameters => ConditionerParameters(AudioDim, VideoDim);

    public long LayerParameters => AudioToVideoParameters + VideoToAudioParameters;

    public long TotalParameters => LayerParameters * InteractionLayers.Count;

    public bool Interacts(int layer) => InteractionLayers.Contains(layer);
}
