using System.Diagnostics;
using System.Text.Json.Nodes;
using MovaCluster.Execution.DeviceThreads;

namespace MovaCluster.GpuProbe;

/// <summary>
/// Peak memory over a stretch of work, from every source this machine has: the CUDA caching allocator's peak of
/// live tensor bytes (<see cref="CudaShim"/>; what the planner estimates), the device's memory in use sampled every
/// 5 ms through NVML (context and cache included), and the process's peak resident set (VmHWM, reset at the start).
/// </summary>
internal sealed class MemoryWindow : IDisposable
{
    private readonly int? _cudaIndex;
    private readonly JsonObject _baseline = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread? _sampler;
    private ulong _deviceUsedPeak;

    public MemoryWindow(int? cudaIndex)
    {
        _cudaIndex = cudaIndex;
        if (cudaIndex is { } index && CudaShim.IsAvailable)
        {
            CudaShim.ResetPeak(index);
            _baseline["allocated_bytes"] = CudaShim.MemoryStats(index).Allocated;
        }

        if (cudaIndex is { } gpu && Nvml.IsAvailable)
        {
            var used = Nvml.Memory(gpu).Used;
            _deviceUsedPeak = used;
            _baseline["device_used_bytes"] = used;
            _sampler = new Thread(() => Sample(gpu)) { IsBackground = true, Name = "probe-nvml-sampler" };
            _sampler.Start();
        }

        ResetPeakResidentSet();
        _baseline["rss_bytes"] = ResidentSet().Current;
        Clock = Stopwatch.StartNew();
    }

    public Stopwatch Clock { get; }

    /// <summary>Stops sampling and reports the baselines and peaks.</summary>
    public JsonObject Finish()
    {
        _stop.Cancel();
        _sampler?.Join();
        var result = new JsonObject { ["baseline"] = _baseline.DeepClone() };
        if (_cudaIndex is { } index && CudaShim.IsAvailable)
        {
            var stats = CudaShim.MemoryStats(index);
            result["allocated_peak_bytes"] = stats.PeakAllocated;
            result["reserved_peak_bytes"] = stats.PeakReserved;
            result["allocated_now_bytes"] = stats.Allocated;
        }

        if (_sampler is not null)
        {
            result["device_used_peak_bytes"] = _deviceUsedPeak;
        }

        result["rss_peak_bytes"] = ResidentSet().Peak;
        result["sources"] = new JsonArray(
            [.. new[] { _cudaIndex is not null && CudaShim.IsAvailable ? "cuda-caching-allocator" : null, _sampler is not null ? "nvml" : null, "rss" }
                .Where(s => s is not null).Select(s => (JsonNode)s!)]);
        return result;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sampler?.Join();
        _stop.Dispose();
    }

    /// <summary>VmRSS and VmHWM of this process, in bytes.</summary>
    public static (long Current, long Peak) ResidentSet()
    {
        long current = 0, peak = 0;
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

    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux); where that is refused the peak is the process's.
    private static void ResetPeakResidentSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    private void Sample(int gpu)
    {
        while (!_stop.IsCancellationRequested)
        {
            var used = Nvml.Memory(gpu).Used;
            if (used > _deviceUsedPeak)
            {
                _deviceUsedPeak = used;
            }

            _stop.Token.WaitHandle.WaitOne(5);
        }
    }
}
