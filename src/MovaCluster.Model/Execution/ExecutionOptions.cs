namespace MovaCluster.Model.Execution;

/// <summary>Device workers of this process (section <see cref="SectionName"/>).</summary>
public sealed class ExecutionOptions
{
    public const string SectionName = "Mova:Execution";

    /// <summary>Devices to run a worker on: "cpu", "cpu:N" (more cpu workers) or "cuda:N". Default: one cpu worker.</summary>
    public List<string> Devices { get; set; } = ["cpu"];

    /// <summary>Executor the workers build. Default: <see cref="ExecutorKind.Simulated"/>.</summary>
    public ExecutorKind Executor { get; set; } = ExecutorKind.Simulated;

    /// <summary>Settings of the simulated executor.</summary>
    public SimulatedExecutorOptions Simulated { get; set; } = new();
}
