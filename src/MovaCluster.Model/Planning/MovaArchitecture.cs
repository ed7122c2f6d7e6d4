namespace MovaCluster.Model.Planning;

/// <summary>
/// Everything about a MOVA checkpoint that sizes its memory and compute: the two (identical) video experts, the audio
/// tower, the bridge, and the encoders/decoders. Bytes are per parameter of the serving dtype (bf16 = 2).
/// </summary>
public sealed record MovaArchitecture(
    string Name,
    TowerShape VideoExpert,
    TowerShape Audio,
    BridgeShape Bridge,
    long TextEncoderParameters,
    long VideoVaeParameters,
    long AudioVaeParameters,
    int BytesPerParameter = 2)
{
    /// <summary>Layers of the interleaved dual-tower stack: the video tower's, which is the deeper one.</summary>
    public int StackLayers => Math.Max(VideoExpert.Layers, Audio.Layers);

    public long ExpertBytes => VideoExpert.TotalParameters * BytesPerParameter;

    public long AudioBytes => Audio.TotalParameters * BytesPerParameter;

    public long BridgeBytes => Bridge.TotalParameters * BytesPerParameter;

    public long TextEncoderBytes => TextEncoderParameters * BytesPerParameter;

    public long CodecBytes => (VideoVaeParameters + AudioVaeParameters) * BytesPerParameter;

    /// <summary>
    /// MOVA-360p and MOVA-720p share this architecture (SPEC section 0): Wan2.2-A14B-style experts (dim 5120, 40 layers),
    /// a 1536-wide 30-layer audio tower, a "full" bridge on layers 0..29, UMT5-XXL (5.68 B), Wan 2.1 VAE, DAC.
    /// </summary>
    public static MovaArchitecture Mova { get; } = new(
        "MOVA",
        new TowerShape(Dim: 5120, Layers: 40, FfnDim: 13824, InChannels: 36, OutChannels: 16, TextDim: 4096, FreqDim: 256, PatchVolume: 4),
        new TowerShape(Dim: 1536, Layers: 30, FfnDim: 8960, InChannels: 128, OutChannels: 128, TextDim: 4096, FreqDim: 256, PatchVolume: 1),
        new BridgeShape(5120, 1536, Enumerable.Range(0, 30).ToArray()),
        TextEncoderParameters: 5_680_000_000,
        VideoVaeParameters: 127_000_000,
        AudioVaeParameters: 150_000_000);
}
