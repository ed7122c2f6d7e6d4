using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MovaCluster.Silo.Hosting;

/// <summary>Healthy once this silo is an active member of the cluster; a joining or dying silo is not ready for work.</summary>
public sealed class SiloHealthCheck(ILocalSiloDetails localSilo, IClusterMembershipService membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var member = membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress);
        return Task.FromResult(member == SiloStatus.Active
            ? HealthCheckResult.Healthy($"Silo {localSilo.SiloAddress} is active.")
            : HealthCheckResult.Unhealthy($"Silo {localSilo.SiloAddress} is {member}."));
    }
}
