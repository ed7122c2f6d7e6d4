using MovaCluster.Contracts.Jobs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.Grains.Workers;

/// <summary>Maps the execution layer's enums onto the contract's.</summary>
internal static class PhaseMapping
{
    public static JobPhase ToJobPhase(this GenerationPhase phase) => phase switch
    {
        GenerationPhase.Encoding => JobPhase.Encoding,
        GenerationPhase.DenoisingHighNoise => JobPhase.DenoisingHighNoise,
        GenerationPhase.DenoisingLowNoise => JobPhase.DenoisingLowNoise,
        GenerationPhase.Decoding => JobPhase.Decoding,
        GenerationPhase.Muxing => JobPhase.Muxing,
        GenerationPhase.Uploading => JobPhase.Uploading,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown generation phase."),
    };

    public static JobPhase ToDenoisingPhase(this VideoExpert expert) =>
        expert == VideoExpert.HighNoise ? JobPhase.DenoisingHighNoise : JobPhase.DenoisingLowNoise;
}
