using System.Runtime;

namespace MovaCluster.MediaStorage.Benchmarks;

/// <summary>Resident set size of this process from /proc/self/status; the peak (VmHWM) can be reset through clear_refs.</summary>
internal static class ProcessMemory
{
    /// <summary>Collects garbage (compacting the large object heap), resets the peak and returns the RSS after that.</summary>
    public static long SettleAndResetPeak()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        // "5" resets VmHWM to the current RSS (Linux 4.0+).
        File.WriteAllText("/proc/self/clear_refs", "5");
        return Read("VmRSS:");
    }

    public static long PeakResidentBytes() => Read("VmHWM:");

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }
}
