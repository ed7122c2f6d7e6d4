using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MovaCluster.Storage;

/// <summary>Ready while the clip store answers (S3: the bucket lookup; local disk: a probe file is written).</summary>
public sealed class ClipStoreHealthCheck(IClipStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await store.CheckReachableAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The clip store answers.");
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The clip store cannot be used: {failure.GetType().Name}.");
        }
    }
}
