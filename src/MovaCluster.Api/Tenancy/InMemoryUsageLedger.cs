using System.Collections.Concurrent;

namespace MovaCluster.Api.Tenancy;

/// <summary>Daily usage in this process (the embedded deployment).</summary>
public sealed class InMemoryUsageLedger(TimeProvider time) : IUsageLedger
{
    private readonly ConcurrentDictionary<(string Tenant, DateOnly Day), double> _used = new();
    private readonly HashSet<string> _refunded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<bool> TryReserveAsync(string tenantId, double seconds, double limit, CancellationToken cancellationToken)
    {
        var key = (tenantId, Today());
        lock (_gate)
        {
            var used = _used.GetValueOrDefault(key);
            if (used + seconds > limit)
            {
                return Task.FromResult(false);
            }

            _used[key] = used + seconds;
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(string tenantId, double seconds, CancellationToken cancellationToken)
    {
        var key = (tenantId, Today());
        lock (_gate)
        {
            _used[key] = Math.Max(0, _used.GetValueOrDefault(key) - seconds);
        }

        return Task.CompletedTask;
    }

    public Task RefundAsync(string tenantId, string videoId, double seconds, DateOnly day, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_refunded.Add(videoId) && _used.TryGetValue((tenantId, day), out var used))
            {
                _used[(tenantId, day)] = Math.Max(0, used - seconds);
            }
        }

        return Task.CompletedTask;
    }

    public Task<double> GetTodayAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult(_used.GetValueOrDefault((tenantId, Today())));

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
