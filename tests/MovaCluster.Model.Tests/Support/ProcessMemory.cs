using System.Runtime.InteropServices;

namespace MovaCluster.Model.Tests.Support;

/// <summary>
/// Linux resident-set readings from /proc/self/status; the peak (VmHWM) can be reset through clear_refs. glibc keeps
/// freed heap blocks, so measurements first route allocations of 64 KiB and more through mmap (returned to the kernel
/// on free): RSS then follows the live tensor bytes instead of the allocator's high-water mark.
/// </summary>
public static partial class ProcessMemory
{
    private const int MmapThreshold = -3;

    public static long ResidentBytes => ReadKilobytes("VmRSS:") * 1024;

    public static long PeakResidentBytes => ReadKilobytes("VmHWM:") * 1024;

    /// <summary>Makes allocations of <paramref name="bytes"/> or more use mmap (below 64 KiB, heap fragmentation alone grew RSS by ~2 MB per chunk), and releases free heap memory.</summary>
    public static void UseMmapForLargeAllocations(int bytes = 64 << 10)
    {
        if (mallopt(MmapThreshold, bytes) != 1)
        {
            throw new InvalidOperationException("mallopt(M_MMAP_THRESHOLD) failed.");
        }

        malloc_trim(0);
    }

    /// <summary>Resets VmHWM to the current RSS (writing "5" to /proc/self/clear_refs).</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long ReadKilobytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
