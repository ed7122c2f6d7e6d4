using MovaCluster.Execution.Planned;
using TorchSharp;

namespace MovaCluster.Execution;

/// <summary>
/// What a machine needs before its silo takes MOVA jobs, checked at start so that a missing piece stops the host with a
/// message naming it instead of failing the first job: TorchSharp's native libraries load, every configured cuda
/// device exists, and the tiny model's cache folder is writable when no checkpoint is configured.
/// </summary>
public static class ExecutionPreflight
{
    public static IReadOnlyList<string> Check(ExecutionOptions options, PlannedExecutionOptions? planned = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Executor != ExecutorKind.Mova)
        {
            return problems;
        }

        if (TorchProblem() is { } torchProblem)
        {
            problems.Add(torchProblem);
            return problems;
        }

        var cudaDevices = options.EffectiveDevices
            .Concat(planned?.Parsed().SelectMany(group => group) ?? [])
            .Where(device => device.StartsWith("cuda:", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (cudaDevices.Count > 0 && CudaProblem(cudaDevices) is { } cudaProblem)
        {
            problems.Add(cudaProblem);
        }

        if (options.Mova.CheckpointPath.Length == 0 && FolderProblem(options.Mova.TinyModelCache) is { } folderProblem)
        {
            problems.Add($"The tiny MOVA's cache folder (Mova:Execution:Mova:TinyModelCache) {folderProblem}; "
                + "point that setting (or TMPDIR) at a writable folder, or set Mova:Execution:Mova:CheckpointPath to a MOVA checkpoint.");
        }

        return problems;
    }

    /// <summary>Null when <paramref name="folder"/> exists (or can be made) and takes a file; otherwise why not.</summary>
    public static string? FolderProblem(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".mova-write-check-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return null;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"'{folder}' is not writable ({failure.Message})";
        }
    }

    private static string? TorchProblem()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            using var probe = torch.ones(2);
            return probe.sum().item<float>() == 2 ? null : "TorchSharp's native library computes wrong results on this machine.";
        }
        catch (Exception failure)
        {
            return $"TorchSharp's native libraries do not load ({Innermost(failure)}). They come with the TorchSharp and libtorch-cpu-linux-x64 "
                + "packages; run the host from a build or publish made on a machine like this one: on Debian 12, whose libstdc++ lacks GLIBCXX_3.4.32, "
                + "the build patches libLibTorchSharp.so for the system's libstdc++ (Directory.Build.targets), and a 'cpu' folder TorchSharp left "
                + "beside it after a failed load must be deleted.";
        }
    }

    private static string? CudaProblem(IReadOnlyList<string> devices)
    {
        try
        {
            if (!torch.cuda.is_available())
            {
                return $"Devices {string.Join(", ", devices)} are configured but TorchSharp sees no CUDA device: build with -p:TorchBackend=cuda "
                    + "(TorchSharp-cuda-linux) and install the NVIDIA driver, or configure cpu devices (Mova:Execution:Devices).";
            }

            var count = torch.cuda.device_count();
            var missing = devices.Where(device => int.Parse(device.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture) >= count).ToList();
            return missing.Count == 0 ? null : $"Devices {string.Join(", ", missing)} are configured but this machine has {count} CUDA device(s) (cuda:0 .. cuda:{count - 1}).";
        }
        catch (Exception failure)
        {
            return $"CUDA does not initialise ({Innermost(failure)}): build with -p:TorchBackend=cuda and install the NVIDIA driver, or configure cpu devices.";
        }
    }

    private static string Innermost(Exception failure)
    {
        while (failure.InnerException is not null)
        {
            failure = failure.InnerException;
        }

        return $"{failure.GetType().Name}: {failure.Message}";
    }
}
