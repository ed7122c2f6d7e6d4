using System.Text.Json.Nodes;
using MovaCluster.Execution.DeviceThreads;
using TorchSharp;

namespace MovaCluster.GpuProbe;

/// <summary>What every section gets: the options, the device, synchronisation and memory windows, and the log.</summary>
internal sealed class ProbeContext(ProbeOptions options, DeviceContext device)
{
    public ProbeOptions Options { get; } = options;

    public DeviceContext DeviceContext { get; } = device;

    public torch.Device Device => DeviceContext.Device;

    public bool IsCuda => DeviceContext.IsCuda;

    public bool IsFull => Options.Size == ProbeSize.Full;

    /// <summary>Waits for the device's queued work (CUDA is asynchronous: no clock is read before this).</summary>
    public void Synchronize()
    {
        if (IsCuda)
        {
            torch.cuda.synchronize(Device);
        }
    }

    public MemoryWindow MeasureMemory() => new(IsCuda ? Device.index : null);

    public static void Log(string message) =>
        Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    /// <summary>Backend settings that decide kernels and numerics, recorded with every section.</summary>
    public JsonObject Backend()
    {
        var backend = new JsonObject { ["torch_threads"] = torch.get_num_threads() };
        if (IsCuda)
        {
            backend["matmul_allow_tf32"] = torch.backends.cuda.matmul.allow_tf32;
            backend["cudnn_allow_tf32"] = torch.backends.cudnn.allow_tf32;
            backend["flash_sdp_enabled"] = torch.backends.cuda.flash_sdp_enabled();
            backend["math_sdp_enabled"] = torch.backends.cuda.math_sdp_enabled();
        }

        return backend;
    }
}
