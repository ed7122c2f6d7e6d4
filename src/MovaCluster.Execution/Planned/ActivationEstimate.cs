namespace MovaCluster.Execution.Planned;

/// <summary>
/// Estimated activation memory of a shard for one model evaluation: what stays alive across its layers (hidden
/// states, contexts, modulation, RoPE tables) and the largest per-layer transient on top of it.
/// </summary>
public sealed record ActivationEstimate(long ResidentBytes, long PeakTransientBytes)
{
    /// <summary>Resident plus peak transient.</summary>
    public long TotalBytes => ResidentBytes + PeakTransientBytes;
}
