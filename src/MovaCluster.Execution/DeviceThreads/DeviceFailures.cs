using System.Runtime.InteropServices;

namespace MovaCluster.Execution.DeviceThreads;

/// <summary>
/// Turns libtorch failures (TorchSharp raises them as <see cref="ExternalException"/> carrying libtorch's message and
/// C++ backtrace) into <see cref="DeviceExecutionException"/>s a job can report: one clear message naming the device
/// and the consequence, classified by libtorch's and CUDA's own wording.
/// </summary>
public static class DeviceFailures
{
    // CUDA errors after which the context is unusable (cudaErrorIllegalAddress, cudaErrorAssert, cudaErrorLaunchFailure,
    // ECC, ...): every later CUDA call of the process returns the same error.
    private static readonly string[] StickyCudaErrors =
    [
        "illegal memory access", "device-side assert", "unspecified launch failure", "uncorrectable ECC error",
        "misaligned address", "an illegal instruction", "launch timed out", "hardware stack error", "unrecoverable",
        "CUDA error: unknown error",
    ];

    private static readonly string[] OutOfMemory = ["out of memory", "not enough memory", "can't allocate memory", "CUBLAS_STATUS_ALLOC_FAILED"];

    /// <summary>
    /// The failure as the job should see it: a <see cref="DeviceExecutionException"/> for libtorch errors, anything
    /// else unchanged (cancellations, argument errors of our own code).
    /// </summary>
    public static Exception Describe(Exception failure, DeviceContext device)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(device);
        if (failure is not ExternalException || failure is DeviceExecutionException)
        {
            return failure;
        }

        var reason = Summary(failure.Message);
        var kind = Classify(failure.Message);
        var message = kind switch
        {
            DeviceFailureKind.OutOfMemory =>
                $"{device.Name} ran out of memory: {reason} The job is too large for the memory this device has free; smaller jobs still run here.",
            DeviceFailureKind.DeviceUnusable =>
                $"{device.Name} hit a CUDA error that leaves the device unusable in this process: {reason} The worker refuses further work on {device.Name}; restart the silo to recover it.",
            _ => $"{device.Name}: libtorch error: {reason}",
        };
        return new DeviceExecutionException(device.Name, kind, message, failure);
    }

    /// <summary>Classifies a libtorch message.</summary>
    public static DeviceFailureKind Classify(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (StickyCudaErrors.Any(s => message.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            return DeviceFailureKind.DeviceUnusable;
        }

        return OutOfMemory.Any(s => message.Contains(s, StringComparison.OrdinalIgnoreCase)) ? DeviceFailureKind.OutOfMemory : DeviceFailureKind.Error;
    }

    /// <summary>libtorch's message without the C++ backtrace and debugging hints, on one line.</summary>
    public static string Summary(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var end = message.IndexOf("Exception raised from", StringComparison.Ordinal);
        var text = end >= 0 ? message[..end] : message;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("frame #", StringComparison.Ordinal)
                && !line.StartsWith("CUDA kernel errors might be", StringComparison.Ordinal)
                && !line.StartsWith("For debugging consider", StringComparison.Ordinal)
                && !line.StartsWith("Compile with `TORCH_USE_CUDA_DSA`", StringComparison.Ordinal));
        var summary = string.Join(" ", lines).Trim();
        if (summary.Length == 0)
        {
            summary = "(libtorch gave no message)";
        }

        return summary.EndsWith('.') ? summary : summary + ".";
    }
}
