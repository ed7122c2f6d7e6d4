namespace MovaCluster.Execution;

/// <summary>Which executor the device workers build.</summary>
public enum ExecutorKind
{
    /// <summary>
    /// A test device with no model: deterministic arithmetic on small latents and synthetic frames, for scheduling
    /// tests and orchestration-overhead benchmarks.
    /// </summary>
    Synthetic,

    /// <summary>
    /// The MOVA pipeline (a checkpoint folder, or the tiny random-weights model when none is configured); with
    /// <c>Mova:Execution:Planned:DeviceGroups</c> set, each worker device fronts a device group running the plan.
    /// </summary>
    Mova,

    /// <summary>
    /// A test device with no compute whose steps take the planner's cost-model time (simulated, compressed), for
    /// capacity benchmarks. Never the default.
    /// </summary>
    CostModel,
}
