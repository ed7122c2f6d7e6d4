namespace MovaCluster.Execution.Lora;

/// <summary>How workers hold and apply LoRA adapters (section <c>Mova:Execution:Lora</c>).</summary>
public sealed class LoraExecutionOptions
{
    /// <summary>
    /// Device memory for bound adapters per worker (per stage device on a plan): least recently used adapters that no
    /// job uses are dropped beyond it. Default 2 GiB (about five rank-16 MOVA adapters in bfloat16). A job's own set
    /// is always bound, even past the budget.
    /// </summary>
    public long DeviceBudgetBytes { get; set; } = 2L << 30;

    /// <summary>
    /// Fold a set into the weights (merged: no per-step cost) once it runs this many jobs in a row on a worker; the
    /// base weights are restored bit for bit before any other set. 0 never merges. Default 2: unmerged costs about 7 %
    /// of every step at rank 16 while a merge plus restore costs well under one step (BENCHMARKS.md).
    /// </summary>
    public int MergeAfterJobs { get; set; } = 2;

    /// <summary>Folder the worker keeps downloaded adapter files in, by digest. Default "movacluster-loras" under the temp folder.</summary>
    public string FileCacheFolder { get; set; } = Path.Combine(Path.GetTempPath(), "movacluster-loras");

    /// <summary>Disk for downloaded adapter files per silo; least recently used ones no job uses are deleted beyond it. Default 16 GiB.</summary>
    public long FileCacheBytes { get; set; } = 16L << 30;
}
