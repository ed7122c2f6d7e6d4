namespace MovaCluster.Execution.TestDevices.CostModel;

/// <summary>
/// Settings of the cost-model device (section <see cref="SectionName"/>): no compute, each step takes the time the
/// planner's cost model gives for the configured plan and GPU, divided by <see cref="TimeCompression"/>. Never the
/// default executor: a host opts in with <c>AddMovaCostModelExecution</c>.
/// </summary>
public sealed class CostModelExecutorOptions
{
    public const string SectionName = "Mova:Execution:CostModel";

    /// <summary>Plan every replica runs, by name (<c>replica</c>, <c>pipeline4</c>, <c>experts+cfg</c>, ...). Default <c>replica</c>.</summary>
    public string Plan { get; set; } = "replica";

    /// <summary>Catalogued GPU by memory tier: 24, 48, 80 (default) or 141 GB.</summary>
    public int GpuMemoryGb { get; set; } = 80;

    /// <summary>GPUs per node (pipelines stay inside one). Default 8.</summary>
    public int GpusPerNode { get; set; } = 8;

    /// <summary>Simulated seconds per real second. Default 1000: a 10-minute job takes 0.6 s.</summary>
    public double TimeCompression { get; set; } = 1000;

    /// <summary>
    /// Device workers that share one simulated replica (its GPUs' timelines): set it to the plan's jobs in flight,
    /// so a pipeline or expert-stage replica can hold several jobs at once. Workers are grouped by device index
    /// ("cpu" is 0, "cpu:N" is N). Default 1.
    /// </summary>
    public int WorkersPerReplica { get; set; } = 1;

    /// <summary>
    /// Official MOVA folder whose config.json files size the model; null (the default) uses the built-in
    /// MOVA-360p/720p architecture.
    /// </summary>
    public string? CheckpointFolder { get; set; }

    /// <summary>Largest width x height x frames a worker accepts. Default 1280 x 720 x 193.</summary>
    public long MaxVolume { get; set; } = 1280L * 720 * 193;
}
