using TorchSharp;

namespace MovaCluster.Execution.DeviceThreads;

/// <summary>The device a worker thread drives: its configured name ("cpu", "cuda:1") and the torch device.</summary>
public sealed record DeviceContext(string Name, torch.Device Device)
{
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
            return new DeviceContext(name, torch.device(name));
        }

        throw new ArgumentException($"Unknown device '{name}'. Use 'cpu', 'cpu:N' or 'cuda:N'.", nameof(name));
    }
}
