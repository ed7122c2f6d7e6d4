using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Sampling;

/// <summary>The float32 predictions of a step: positive, and negative when CFG is on.</summary>
public sealed record StepVelocities(Velocity Positive, Velocity? Negative) : IDisposable
{
    public void Dispose()
    {
        Positive.Dispose();
        Negative?.Dispose();
    }
}
