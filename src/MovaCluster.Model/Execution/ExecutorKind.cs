namespace MovaCluster.Model.Execution;

/// <summary>Which executor the device workers build.</summary>
public enum ExecutorKind
{
    /// <summary>No model: deterministic arithmetic on small latents, for scheduling tests and overhead benchmarks.</summary>
    Simulated,

    /// <summary>
    /// The MOVA pipeline (a checkpoint folder, or the tiny random-weights model when none is configured); with
    /// <c>Mova:Execution:Planned:DeviceGroups</c> set, each worker device fronts a device group running the plan.
    /// </summary>
    Mova,

    /// <summary>A cost-model device (no compute; simulated timing) for capacity benchmarks. Never the default.</summary>
    CostModel,
}
