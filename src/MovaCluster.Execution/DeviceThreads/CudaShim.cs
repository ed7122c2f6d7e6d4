using System.Runtime.InteropServices;

namespace MovaCluster.Execution.DeviceThreads;

/// <summary>
/// The CUDA controls TorchSharp 0.107 lacks (the calling thread's device, the caching allocator's statistics,
/// empty_cache), through <c>libMovaCudaShim.so</c> (<c>Native/mova_cuda_shim.cpp</c>, built against the libtorch the
/// process runs on). Optional: where the library is absent (every cpu build, a cuda image that did not build it) the
/// calls report that and the device runs on libtorch's per-operation device guards alone.
/// </summary>
public static class CudaShim
{
    /// <summary>Environment variable naming the library file explicitly.</summary>
    public const string PathVariable = "MOVA_CUDA_SHIM";

    private const string FileName = "libMovaCudaShim.so";

    private static readonly Lazy<Exports?> Library = new(Load);
    private static string _loadError = "not loaded yet";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int IndexCall(int index);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int NoArgumentCall();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int StatsCall(int index, out long allocated, out long peakAllocated, out long reserved, out long peakReserved);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr ErrorCall();

    /// <summary>True when the library loaded (only ever attempted once per process).</summary>
    public static bool IsAvailable => Library.Value is not null;

    /// <summary>Why the library is not available, or where it was loaded from.</summary>
    public static string Status => Library.Value is { } exports ? "loaded from " + exports.Path : _loadError;

    /// <summary>Makes <paramref name="index"/> the calling thread's current CUDA device.</summary>
    public static void SetDevice(int index) => Check(Require().SetDevice(index), $"set the current device to cuda:{index}");

    /// <summary>The caching allocator's bytes on <paramref name="index"/>: live tensors and reserved blocks, now and at peak.</summary>
    public static CudaMemoryStats MemoryStats(int index)
    {
        var exports = Require();
        Check(exports.Stats(index, out var allocated, out var peakAllocated, out var reserved, out var peakReserved), $"read the memory statistics of cuda:{index}");
        return new CudaMemoryStats(allocated, peakAllocated, reserved, peakReserved);
    }

    /// <summary>Starts the peak statistics of <paramref name="index"/> afresh.</summary>
    public static void ResetPeak(int index) => Check(Require().ResetPeak(index), $"reset the peak memory statistics of cuda:{index}");

    /// <summary>Returns cached, unused blocks to the driver (torch.cuda.empty_cache()).</summary>
    public static void EmptyCache() => Check(Require().EmptyCache(), "empty the CUDA caching allocator");

    private static Exports Require() =>
        Library.Value ?? throw new InvalidOperationException($"{FileName} is not available: {_loadError}");

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new ExternalException($"Could not {what}: {Marshal.PtrToStringAnsi(Require().LastError()) ?? "no message"}");
        }
    }

    private static Exports? Load()
    {
        var explicitPath = Environment.GetEnvironmentVariable(PathVariable);
        var candidates = string.IsNullOrWhiteSpace(explicitPath)
            ? [Path.Combine(AppContext.BaseDirectory, FileName), FileName]
            : new[] { explicitPath };
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out var handle))
            {
                failures.Add(candidate);
                continue;
            }

            T Export<T>(string name)
                where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(handle, name));

            return new Exports(
                candidate,
                Export<IndexCall>("mova_cuda_set_device"),
                Export<StatsCall>("mova_cuda_memory_stats"),
                Export<IndexCall>("mova_cuda_reset_peak"),
                Export<NoArgumentCall>("mova_cuda_empty_cache"),
                Export<ErrorCall>("mova_cuda_last_error"));
        }

        _loadError = $"{FileName} could not be loaded (tried {string.Join(", ", failures)}; it needs libtorch's CUDA libraries on the library path)";
        return null;
    }

    private sealed record Exports(string Path, IndexCall SetDevice, StatsCall Stats, IndexCall ResetPeak, NoArgumentCall EmptyCache, ErrorCall LastError);
}
