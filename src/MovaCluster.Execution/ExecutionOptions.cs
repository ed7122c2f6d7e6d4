using MovaCluster.Execution.Lora;
using MovaCluster.Execution.Mova;
using MovaCluster.Execution.TestDevices.Synthetic;

namespace MovaCluster.Execution;

/// <summary>Device workers of this process (section <see cref="SectionName"/>).</summary>
public sealed class ExecutionOptions
{
    public const string SectionName = "Mova:Execution";

    /// <summary>
    /// Devices to run a worker on: "cpu", "cpu:N" (more cpu workers) or "cuda:N". Empty (the default) means one cpu
    /// worker. (An empty default rather than ["cpu"], because configuration binding appends to a list.)
    /// </summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>The devices actually used: <see cref="Devices"/>, or "cpu" when none are listed.</summary>
    public IReadOnlyList<string> EffectiveDevices => Devices.Count == 0 ? ["cpu"] : Devices;

    /// <summary>
    /// Executor the workers build. Default: <see cref="ExecutorKind.Mova"/> (with no checkpoint configured, the tiny
    /// random-weights MOVA).
    /// </summary>
    public ExecutorKind Executor { get; set; } = ExecutorKind.Mova;

    /// <summary>Settings of the MOVA executor.</summary>
    public MovaExecutorOptions Mova { get; set; } = new();

    /// <summary>How workers hold and apply LoRA adapters.</summary>
    public LoraExecutionOptions Lora { get; set; } = new();

    /// <summary>Settings of the synthetic test device.</summary>
    public SyntheticExecutorOptions Synthetic { get; set; } = new();
}
