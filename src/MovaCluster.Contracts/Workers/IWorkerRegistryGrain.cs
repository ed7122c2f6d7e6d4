namespace MovaCluster.Contracts.Workers;

/// <summary>The cluster's list of live workers (key <see cref="DefaultKey"/>).</summary>
[Alias("MovaCluster.IWorkerRegistryGrain")]
public interface IWorkerRegistryGrain : IGrainWithStringKey
{
    public const string DefaultKey = "default";

    /// <summary>Registers the worker or refreshes its registration.</summary>
    [Alias("Heartbeat")]
    Task HeartbeatAsync(WorkerDescriptor worker, string? runningJobId);

    /// <summary>Drops every worker of a silo that left the cluster.</summary>
    [Alias("RemoveSilo")]
    Task RemoveSiloAsync(string siloAddress);

    /// <summary>Workers whose heartbeat is recent.</summary>
    [Alias("List")]
    Task<IReadOnlyList<RegisteredWorker>> ListAsync();
}
