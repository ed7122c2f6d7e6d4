namespace MovaCluster.Api.Tenancy;

/// <summary>Seconds of video each tenant requested per UTC day.</summary>
public interface IUsageLedger
{
    /// <summary>Adds <paramref name="seconds"/> to today's total unless that would pass <paramref name="limit"/>; returns whether it did.</summary>
    Task<bool> TryReserveAsync(string tenantId, double seconds, double limit, CancellationToken cancellationToken);

    /// <summary>Gives back seconds of a create that did not go through.</summary>
    Task ReleaseAsync(string tenantId, double seconds, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back a video's charge on the UTC day it was made; applied once per video however often it is asked for
    /// (gateways may apply one refund concurrently). A day whose usage is gone (expired) is left alone.
    /// </summary>
    Task RefundAsync(string tenantId, string videoId, double seconds, DateOnly day, CancellationToken cancellationToken);

    Task<double> GetTodayAsync(string tenantId, CancellationToken cancellationToken);
}
