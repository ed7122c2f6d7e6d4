using System.Runtime.InteropServices;

namespace MovaCluster.Codecs.Benchmarks;

/// <summary>RSS readings (/proc/self/status) with allocations of 64 KiB and more routed through mmap.</summary>
internal static partial class NativeMemory
{
    public static long ResidentBytes => Read("VmRSS:");

    public static long PeakResidentBytes => Read("VmHWM:");

    public static void UseMmapForLargeAllocations() => mallopt(-3, 64 << 10);

    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Read(string field) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);
}
