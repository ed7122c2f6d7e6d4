namespace MovaCluster.Grains.Queue;

/// <summary>Dispatch queue limits and fairness (section <see cref="SectionName"/>).</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Mova:Queue";

    /// <summary>Most jobs one tenant may have waiting; more are rejected. Default 100.</summary>
    public int MaxQueuedPerTenant { get; set; } = 100;

    /// <summary>Most jobs one tenant may have running at once; the rest wait. Default 4.</summary>
    public int MaxRunningPerTenant { get; set; } = 4;

    /// <summary>Most jobs waiting in the whole queue; more are rejected. Default 10,000.</summary>
    public int MaxQueued { get; set; } = 10_000;

    /// <summary>Fair-share weight per tenant id; tenants not listed weigh <see cref="DefaultTenantWeight"/>.</summary>
    public Dictionary<string, double> TenantWeights { get; set; } = [];

    /// <summary>Weight of tenants not in <see cref="TenantWeights"/>. Default 1.</summary>
    public double DefaultTenantWeight { get; set; } = 1.0;

    /// <summary>A running job whose worker sent no heartbeat for this long goes back in the queue. Default 30 s.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leases are checked. Default 5 s.</summary>
    public TimeSpan LeaseCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Prefer, among the first <see cref="LoraAffinityWindow"/> jobs in fair order, one whose LoRA adapters the asking
    /// worker already holds, and leave a job to a free worker that holds its adapters. Default true.
    /// </summary>
    public bool LoraAffinity { get; set; } = true;

    /// <summary>How far down the fair order affinity looks. Default 16.</summary>
    public int LoraAffinityWindow { get; set; } = 16;

    /// <summary>Most times a job may be passed over for affinity before the next worker must take it. Default 4.</summary>
    public int LoraAffinityMaxSkips { get; set; } = 4;

    /// <summary>Step time assumed for ETAs until one is measured. Default 1,000 ms.</summary>
    public double InitialMillisecondsPerStep { get; set; } = 1000;
}
