namespace MovaCluster.Model.Pipeline;

/// <summary>
/// Stages of one generation, in order: <see cref="MovaPipeline"/> reports encoding, the two denoising phases and
/// decoding; muxing and uploading belong to whoever publishes the clip.
/// </summary>
public enum GenerationPhase
{
    Encoding,
    DenoisingHighNoise,
    DenoisingLowNoise,
    Decoding,
    Muxing,
    Uploading,
}
