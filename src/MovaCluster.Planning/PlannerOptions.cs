namespace MovaCluster.Planning;

/// <summary>
/// The fleet the cluster plans for and what the operator wants from it. Bound from <c>Mova:Planner</c>.
/// Either name a catalogued memory tier (<see cref="GpuMemoryGb"/>) or describe the GPU fully (name, memory, TFLOP/s, links).
/// </summary>
public sealed class PlannerOptions
{
    public const string SectionName = "Mova:Planner";

    /// <summary>Throughput (default: most jobs per hour) or Latency (fastest single job).</summary>
    public PlannerObjective Objective { get; set; } = PlannerObjective.Throughput;

    /// <summary>A plan to pin instead of choosing (e.g. <c>replica</c>, <c>pipeline4</c>, <c>experts+cfg</c>); null chooses.</summary>
    public string? Plan { get; set; }

    /// <summary>GPUs the cluster runs on. Default 1.</summary>
    public int GpuCount { get; set; } = 1;

    /// <summary>GPUs per node; a pipeline's stages never span nodes. Default 8.</summary>
    public int GpusPerNode { get; set; } = 8;

    /// <summary>Catalogued GPU by memory: 24, 48, 80 (default) or 141 GB. Ignored when <see cref="GpuName"/> is set.</summary>
    public int GpuMemoryGb { get; set; } = 80;

    /// <summary>A GPU not in the catalogue: its name; then memory, TFLOP/s and both links are required.</summary>
    public string? GpuName { get; set; }

    /// <summary>Memory of the GPU named by GpuName, in GiB.</summary>
    public double? GpuMemoryGiB { get; set; }

    /// <summary>Sustained bf16 TFLOP/s on DiT blocks (measure it, or derive it from a known step time).</summary>
    public double? GpuEffectiveTflops { get; set; }

    /// <summary>Host-to-device bandwidth from pinned memory of the GPU named by GpuName (expert swaps), in GB/s.</summary>
    public double? HostLinkGBps { get; set; }

    /// <summary>Device-to-device bandwidth inside a node for the GPU named by GpuName (pipeline hand-offs, CFG exchange), in GB/s.</summary>
    public double? PeerLinkGBps { get; set; }

    /// <summary>The job size to plan for: 360p (default) or 720p, 193 frames, 50 steps, CFG 5.</summary>
    public string Resolution { get; set; } = "360p";

    public DeviceProfile Device() => GpuName is null
        ? DeviceCatalog.ForMemoryTier(GpuMemoryGb)
        : new DeviceProfile(GpuName, (long)(GpuMemoryGiB!.Value * (1L << 30)), GpuEffectiveTflops!.Value, HostLinkGBps!.Value, PeerLinkGBps!.Value);

    /// <summary>
    /// Share of the uncached denoising work the fleet's jobs do, in (0, 1]: with a step and block cache tier in use,
    /// 1 − the <c>skipped_fraction</c> its videos report (or its <c>CacheForecast.ExpectedWork</c> / steps). Default 1.
    /// </summary>
    public double CacheWorkFraction { get; set; } = 1.0;

    public WorkloadShape Workload() => (Resolution == "720p" ? WorkloadShape.Mova720p : WorkloadShape.Mova360p) with { WorkFraction = CacheWorkFraction };

    public ClusterHardware Hardware() => new(Device(), GpuCount, GpusPerNode);
}
