namespace MovaCluster.ServiceDefaults.Health;

/// <summary>Keyed by a readiness check's name: that check is registered.</summary>
internal sealed class ReadinessCheckName;
