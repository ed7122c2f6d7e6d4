namespace MovaCluster.Execution.Lora;

/// <summary>A job's adapters in force; disposing ends an unmerged activation (a merged set stays for the next job).</summary>
public sealed class LoraJobScope(bool merged, int adapters, IDisposable? activation) : IDisposable
{
    public static LoraJobScope None => new(false, 0, null);

    /// <summary>True when the set runs folded into the weights.</summary>
    public bool Merged { get; } = merged;

    /// <summary>Adapters in the job's set.</summary>
    public int Adapters { get; } = adapters;

    public void Dispose() => activation?.Dispose();
}
