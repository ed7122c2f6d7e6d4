namespace MovaCluster.Model.Planning;

/// <summary>
/// What the planner needs to know about one accelerator model: memory, sustained dense bf16 throughput on DiT
/// workloads (measured, or configured from a published step time), and its links.
/// </summary>
/// <param name="Name">Display name, e.g. "H100-80GB".</param>
/// <param name="MemoryBytes">Usable device memory after the runtime's own reservation.</param>
/// <param name="EffectiveTflops">Sustained bf16 TFLOP/s on attention + GEMM heavy DiT blocks (not the datasheet peak).</param>
/// <param name="HostLinkGBps">Host-to-device bandwidth from pinned memory, GB/s (expert swaps).</param>
/// <param name="PeerLinkGBps">Device-to-device bandwidth inside a node, GB/s (pipeline hand-offs, CFG exchange).</param>
public sealed record DeviceProfile(string Name, long MemoryBytes, double EffectiveTflops, double HostLinkGBps, double PeerLinkGBps)
{
    public double MemoryGiB => MemoryBytes / (double)(1L << 30);

    /// <summary>Seconds to run <paramref name="flops"/> floating-point operations.</summary>
    public double SecondsFor(double flops) => flops / (EffectiveTflops * 1e12);

    public double PeerSecondsFor(double bytes) => bytes / (PeerLinkGBps * 1e9);

    public double HostSecondsFor(double bytes) => bytes / (HostLinkGBps * 1e9);
}
