using MovaCluster.Model.Pipeline;

namespace MovaCluster.Execution;

/// <summary>Receives progress on the device thread; implementations must return quickly (queue, never wait).</summary>
public interface IGenerationObserver
{
    void OnPhase(GenerationPhase phase);

    void OnStep(IDenoiseStepState step);
}
