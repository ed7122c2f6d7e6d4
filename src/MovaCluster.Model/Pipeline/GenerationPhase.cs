namespace MovaCluster.Model.Pipeline;

/// <summary>Stages of one generation, in order.</summary>
public enum GenerationPhase
{
    Encoding,
    DenoisingHighNoise,
    DenoisingLowNoise,
    Decoding,
    Muxing,
    Uploading,
}
