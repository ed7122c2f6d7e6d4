using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using TorchSharp;

namespace MovaCluster.Model.Tests.Support;

/// <summary>Wraps an executor and keeps copies of every request's metadata and velocities.</summary>
public sealed class RecordingExecutor(IStepExecutor inner) : IStepExecutor, IDisposable
{
    public List<(int Step, VideoExpert Expert, float Timestep, bool HasNegative)> Requests { get; } = [];

    public List<(torch.Tensor VideoPos, torch.Tensor AudioPos, torch.Tensor? VideoNeg, torch.Tensor? AudioNeg)> Velocities { get; } = [];

    public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Requests.Add((request.StepIndex, request.Expert, request.Timestep, request.NegativeContext is not null));
        var result = inner.Evaluate(request, cancellationToken);
        Velocities.Add((Keep(result.Positive.Video), Keep(result.Positive.Audio), result.Negative is null ? null : Keep(result.Negative.Video), result.Negative is null ? null : Keep(result.Negative.Audio)));
        return result;
    }

    // Requests run inside the sampler's per-step dispose scope; the copies must outlive it.
    private static torch.Tensor Keep(torch.Tensor tensor) => tensor.clone().DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var (a, b, c, d) in Velocities)
        {
            a.Dispose();
            b.Dispose();
            c?.Dispose();
            d?.Dispose();
        }
    }
}
