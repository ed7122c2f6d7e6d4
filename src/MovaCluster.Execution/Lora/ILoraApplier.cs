namespace MovaCluster.Execution.Lora;

/// <summary>
/// Applies a job's LoRA set on the layers of one executor (a denoiser, or a plan's stage devices): binds adapters
/// through the device cache, merges or activates as the policy says, and ends the activation when the job ends.
/// Called on the executor's device thread.
/// </summary>
public interface ILoraApplier : IDisposable
{
    /// <summary>Sets the job's adapters in force until the scope is disposed (the base model when it has none).</summary>
    LoraJobScope Begin(GenerationJob job);

    /// <summary>Digests bound now, most recently used first.</summary>
    IReadOnlyList<string> Held { get; }
}
