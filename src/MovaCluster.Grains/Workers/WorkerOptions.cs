namespace MovaCluster.Grains.Workers;

/// <summary>Worker grain behaviour (section <see cref="SectionName"/>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Mova:Worker";

    /// <summary>How often a worker reports to the registry and the queue (and polls when idle). Default 2 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A run that shows no progress (no denoising step, no phase change) for this long is taken for hung: the worker
    /// stops renewing the job's lease, so the queue requeues it after <c>Mova:Queue:LeaseTimeout</c> and another
    /// worker resumes it from its last checkpoint. Longer than any single step or phase may take. Default 5 minutes.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a running attempt keeps retrying calls to its job grain while that grain is unreachable (its silo
    /// died and the cluster has not yet moved it). Longer than the cluster's failure detection. Default 2 minutes.
    /// </summary>
    public TimeSpan JobCallRetryWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Store the latents every this many denoising steps. Default 5.</summary>
    public int CheckpointEverySteps { get; set; } = 5;

    /// <summary>Send a preview every this many steps; 1 sends one after every step, starting with the first. Default 1.</summary>
    public int PreviewEverySteps { get; set; } = 1;
}
