using MovaCluster.Execution;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>Forwards progress, but hangs the device thread at the armed step (see <see cref="DeviceHang"/>).</summary>
public sealed class HangingObserver(IGenerationObserver inner, string jobId, bool mayHang) : IGenerationObserver
{
    public bool Hung { get; private set; }

    public void OnPhase(GenerationPhase phase) => inner.OnPhase(phase);

    public void OnStep(IDenoiseStepState step)
    {
        if (mayHang && !Hung && step.CompletedSteps == DeviceHang.AtStep && DeviceHang.TryClaim())
        {
            Hung = true;
            DeviceHang.HangHere(jobId);
        }

        inner.OnStep(step);
    }
}
