using System.Runtime.InteropServices;
using System.Text;

namespace MovaCluster.GpuProbe;

/// <summary>
/// The NVIDIA driver's management library (libnvidia-ml.so.1, on every machine with the driver): device name, driver
/// version and memory in use, which the probe samples for the device's peak (CUDA context and cached blocks included).
/// NVML numbers devices in PCI order; the probe asks for the GPU of the same index, right on one-GPU machines.
/// </summary>
internal static partial class Nvml
{
    private const string Library = "libnvidia-ml.so.1";
    private static readonly Lazy<bool> Initialised = new(Initialise);

    public static bool IsAvailable => Initialised.Value;

    /// <summary>(total, used) bytes of device <paramref name="index"/>.</summary>
    public static (ulong Total, ulong Used) Memory(int index)
    {
        Check(nvmlDeviceGetHandleByIndex_v2((uint)index, out var device));
        Check(nvmlDeviceGetMemoryInfo(device, out var memory));
        return (memory.Total, memory.Used);
    }

    public static string Name(int index)
    {
        Check(nvmlDeviceGetHandleByIndex_v2((uint)index, out var device));
        var buffer = new byte[96];
        Check(nvmlDeviceGetName(device, buffer, (uint)buffer.Length));
        return Encoding.ASCII.GetString(buffer).TrimEnd('\0');
    }

    public static string DriverVersion()
    {
        var buffer = new byte[80];
        Check(nvmlSystemGetDriverVersion(buffer, (uint)buffer.Length));
        return Encoding.ASCII.GetString(buffer).TrimEnd('\0');
    }

    private static bool Initialise()
    {
        try
        {
            return nvmlInit_v2() == 0;
        }
        catch (Exception failure) when (failure is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new ExternalException($"NVML call failed with code {result}.");
        }
    }

    [LibraryImport(Library)]
    private static partial int nvmlInit_v2();

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetMemoryInfo(IntPtr device, out MemoryInfo memory);

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetName(IntPtr device, [Out] byte[] name, uint length);

    [LibraryImport(Library)]
    private static partial int nvmlSystemGetDriverVersion([Out] byte[] version, uint length);

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }
}
