using MovaCluster.Execution;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>The simulated executor, with a device thread that can hang mid-denoising (see <see cref="DeviceHang"/>).</summary>
public sealed class HangingExecutor(IGenerationExecutor inner) : IGenerationExecutor
{
    public ExecutorDescription Description => inner.Description;

    public GenerationOutput Execute(GenerationJob job, IGenerationObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var watched = new HangingObserver(observer, job.JobId, mayHang: job.ResumeFrom is null);
        try
        {
            var output = inner.Execute(job, watched, cancellationToken);
            if (watched.Hung)
            {
                DeviceHang.HungRunEnded.TrySetResult(null);
            }

            return output;
        }
        catch (Exception failure) when (watched.Hung)
        {
            DeviceHang.HungRunEnded.TrySetResult(failure);
            throw;
        }
    }

    public void Dispose() => inner.Dispose();
}
