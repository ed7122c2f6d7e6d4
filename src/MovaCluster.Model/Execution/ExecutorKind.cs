namespace MovaCluster.Model.Execution;

/// <summary>Which executor the device workers build.</summary>
public enum ExecutorKind
{
    /// <summary>No model: deterministic arithmetic on small latents, for scheduling tests and overhead benchmarks.</summary>
    Simulated,

    /// <summary>The MOVA pipeline (a checkpoint folder, or the tiny random-weights model when none is configured).</summary>
    Mova,
}
