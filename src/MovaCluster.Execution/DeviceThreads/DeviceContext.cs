using TorchSharp;

namespace MovaCluster.Execution.DeviceThreads;

/// <summary>The device a worker thread drives: its configured name ("cpu", "cuda:1") and the torch device.</summary>
public sealed record DeviceContext(string Name, torch.Device Device)
{
    /// <summary>True for a CUDA device.</summary>
    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <summary>Parses a device name; "cpu:N" names extra cpu workers that share the host cpu.</summary>
    public static DeviceContext Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name == "cpu" || name.StartsWith("cpu:", StringComparison.Ordinal))
        {
            return new DeviceContext(name, torch.CPU);
        }

        if (name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), out var index) && index >= 0)
        {
            // Not torch.device(name): that initialises the CUDA backend on the calling thread and throws an opaque
            // error where there is none. The device thread checks CUDA itself (BindCurrentThread).
            return new DeviceContext(name, new torch.Device(DeviceType.CUDA, index));
        }

        throw new ArgumentException($"Unknown device '{name}'. Use 'cpu', 'cpu:N' or 'cuda:N'.", nameof(name));
    }

    /// <summary>
    /// Prepares the calling (device) thread for this device. For cuda:N: checks that the process's libtorch has CUDA
    /// and sees device N, and makes N the thread's current device (cudaSetDevice is per thread) through
    /// <see cref="CudaShim"/> when it is available. Without the shim every operation still runs on the device of its
    /// tensors (libtorch guards each one), which is all this code relies on; the current device then only decides
    /// where stray device-less CUDA calls land. Returns how the thread was bound, for the log.
    /// </summary>
    public string BindCurrentThread()
    {
        if (!IsCuda)
        {
            return "cpu";
        }

        if (!torch.cuda.is_available())
        {
            throw new InvalidOperationException(
                $"Device {Name} was configured but CUDA is not available to TorchSharp in this process: the libtorch it loaded has no CUDA " +
                "(a cpu build: publish with -p:TorchBackend=cuda, or put a CUDA libtorch and its libLibTorchSharp.so on the library path) " +
                "or no GPU is visible (driver, NVIDIA_VISIBLE_DEVICES / CUDA_VISIBLE_DEVICES).");
        }

        var count = torch.cuda.device_count();
        if (Device.index >= count)
        {
            throw new InvalidOperationException($"Device {Name} was configured but this process sees {count} CUDA device(s) (cuda:0..cuda:{count - 1}).");
        }

        if (!CudaShim.IsAvailable)
        {
            return $"{Name}: per-operation device guards ({CudaShim.Status})";
        }

        CudaShim.SetDevice(Device.index);
        return $"{Name}: current device of its thread";
    }

    /// <summary>
    /// Returns the caching allocator's unused blocks to the driver (cuda with <see cref="CudaShim"/> only; a no-op
    /// elsewhere), so memory a finished job held is free for the next job's shapes and for other processes.
    /// </summary>
    public bool ReleaseCachedMemory()
    {
        if (!IsCuda || !CudaShim.IsAvailable)
        {
            return false;
        }

        CudaShim.EmptyCache();
        return true;
    }
}
