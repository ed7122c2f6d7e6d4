using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using MovaCluster.Execution.DeviceThreads;
using TorchSharp;

namespace MovaCluster.GpuProbe;

/// <summary>What the probe ran on: device, libraries, driver, how the device thread was bound.</summary>
internal static class ProbeEnvironment
{
    public static JsonObject Describe(ProbeOptions options, DeviceContext device, string binding)
    {
        var torchSharp = typeof(torch).Assembly;
        var info = new JsonObject
        {
            ["device"] = device.Name,
            ["size"] = options.Size.ToString().ToLowerInvariant(),
            ["sections"] = new JsonArray([.. options.Sections.Select(s => (JsonNode)s)]),
            ["started_utc"] = DateTime.UtcNow.ToString("O"),
            ["torchsharp"] = torchSharp.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? torchSharp.GetName().Version?.ToString(),
            ["torchsharp_built_for_libtorch"] = torch.__version__,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["processors"] = Environment.ProcessorCount,
            ["thread_binding"] = binding,
            ["cuda_shim"] = CudaShim.Status,
        };
        if (device.IsCuda)
        {
            info["cuda_available"] = torch.cuda.is_available();
            info["cuda_device_count"] = torch.cuda.device_count();
            info["cudnn_available"] = torch.cuda.is_cudnn_available();
            if (Nvml.IsAvailable)
            {
                info["gpu"] = Nvml.Name(device.Device.index);
                info["gpu_memory_bytes"] = Nvml.Memory(device.Device.index).Total;
                info["driver"] = Nvml.DriverVersion();
            }
        }

        return info;
    }
}
