using MovaCluster.ServiceDefaults.Resilience;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Retries the gateway's calls to MovaCluster grains that fail because the cluster is changing under them (a silo is
/// being declared dead, a message was rejected or timed out), with backoff, for up to
/// <see cref="ResilienceOptions.ApiCallRetryWindow"/>; then the failure reaches the API, which answers 503 with
/// Retry-After. Every call the gateway makes is safe to repeat: reads, and writes that are idempotent per video id
/// (submit, cancel, reprioritize). A store outage is not retried here: the grain already spent its own budget on it.
/// </summary>
internal sealed class ClusterCallRetryFilter(OutageRetry retry) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod.DeclaringType?.Namespace?.StartsWith("MovaCluster.", StringComparison.Ordinal) != true)
        {
            await context.Invoke();
            return;
        }

        await retry.ExecuteAsync($"{context.InterfaceName}.{context.MethodName}", new RetryWindow(TimeSpan.Zero, retry.Settings.ApiCallRetryWindow), async _ =>
        {
            await context.Invoke();
            if (context.Response?.Exception is { } failure && TransientFailure.Is(failure))
            {
                throw failure;
            }
        });
    }
}
