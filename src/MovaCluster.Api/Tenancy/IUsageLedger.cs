namespace MovaCluster.Api.Tenancy;

/// <summary>Seconds of video each tenant requested per UTC day.</summary>
public interface IUsageLedger
{
    /// <summary>Adds <paramref name="seconds"/> to today's total unless that would pass <paramref name="limit"/>; returns whether it did.</summary>
    Task<bool> TryReserveAsync(string tenantId, double seconds, double limit, CancellationToken cancellationToken);

    /// <summary>Gives back seconds of a create that did not go through.</summary>
    Task ReleaseAsync(string tenantId, double seconds, CancellationToken cancellationToken);

    Task<double> GetTodayAsync(string tenantId, CancellationToken cancellationToken);
}
