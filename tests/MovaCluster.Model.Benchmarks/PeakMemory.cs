namespace MovaCluster.Model.Benchmarks;

/// <summary>Resident and peak resident memory of this process from /proc/self/status (VmRSS, VmHWM).</summary>
internal static class PeakMemory
{
    public static (long Current, long Peak) Read()
    {
        long current = 0;
        long peak = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
        }

        return (current, peak);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
