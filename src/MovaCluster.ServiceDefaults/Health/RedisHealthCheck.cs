using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace MovaCluster.ServiceDefaults.Health;

/// <summary>Ready while a Redis connection answers a PING within <see cref="Timeout"/>; not while it is down or restarting.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis, string role) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!redis.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis ({role}) is not connected.");
        }

        try
        {
            var roundTrip = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Redis ({role}) answered in {roundTrip.TotalMilliseconds:F1} ms.");
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis ({role}) did not answer: {failure.GetType().Name}.");
        }
    }
}
