using System.Runtime.InteropServices;

namespace MovaCluster.MediaStorage.Benchmarks;

/// <summary>
/// CPU time used by finished child processes (ffmpeg), from getrusage(RUSAGE_CHILDREN). Unlike wall time it does
/// not grow when other work competes for the cores, so CPU seconds / cores bounds the wall time of an idle machine.
/// </summary>
internal static partial class ChildCpuTime
{
    private const int RusageChildren = -1;

    public static TimeSpan Total()
    {
        if (GetResourceUsage(RusageChildren, out var usage) != 0)
        {
            throw new InvalidOperationException("getrusage(RUSAGE_CHILDREN) failed with errno " + Marshal.GetLastPInvokeError());
        }

        return TimeSpan.FromMicroseconds((usage.UserSeconds * 1e6) + usage.UserMicroseconds + (usage.SystemSeconds * 1e6) + usage.SystemMicroseconds);
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetResourceUsage(int who, out ResourceUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxResidentKb;
        public long SharedMemory;
        public long UnsharedData;
        public long UnsharedStack;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlockInputs;
        public long BlockOutputs;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
