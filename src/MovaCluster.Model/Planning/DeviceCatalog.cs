namespace MovaCluster.Model.Planning;

/// <summary>
/// Representative GPUs for the memory tiers operators run (24, 48, 80, 141 GB). Sustained throughput is calibrated
/// against published MOVA and Wan2.2-A14B step times (see BENCHMARKS.md, "Multi-GPU plans"), not datasheet peaks.
/// </summary>
public static class DeviceCatalog
{
    private const long GiB = 1L << 30;

    /// <summary>24 GB consumer card (RTX 4090 class): PCIe only, no peer-to-peer fabric.</summary>
    public static DeviceProfile Gpu24 { get; } = new("RTX4090-24GB", 22 * GiB, 140, 22, 20);

    /// <summary>48 GB workstation / inference card (L40S class): PCIe only.</summary>
    public static DeviceProfile Gpu48 { get; } = new("L40S-48GB", 45 * GiB, 210, 22, 20);

    /// <summary>80 GB data-centre card (H100 SXM class) with NVLink inside the node.</summary>
    public static DeviceProfile Gpu80 { get; } = new("H100-80GB", 77 * GiB, 560, 50, 350);

    /// <summary>141 GB data-centre card (H200 class) with NVLink inside the node.</summary>
    public static DeviceProfile Gpu141 { get; } = new("H200-141GB", 137 * GiB, 600, 50, 350);

    public static IReadOnlyList<DeviceProfile> Tiers { get; } = [Gpu24, Gpu48, Gpu80, Gpu141];

    /// <summary>The catalogued device for a nominal memory size in GB (24, 48, 80 or 141).</summary>
    public static DeviceProfile ForMemoryTier(int gigabytes) => gigabytes switch
    {
        24 => Gpu24,
        48 => Gpu48,
        80 => Gpu80,
        141 => Gpu141,
        _ => throw new ArgumentOutOfRangeException(nameof(gigabytes), gigabytes, "Known memory tiers are 24, 48, 80 and 141 GB."),
    };
}
