namespace MovaCluster.Execution.DeviceThreads;

/// <summary>
/// A libtorch failure on a device, reworded for the job that hit it: the device, what it means for the worker, and
/// libtorch's own message without its C++ backtrace (the original exception is the inner exception).
/// </summary>
public sealed class DeviceExecutionException : Exception
{
    public DeviceExecutionException()
    {
        Device = string.Empty;
    }

    public DeviceExecutionException(string message)
        : base(message)
    {
        Device = string.Empty;
    }

    public DeviceExecutionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Device = string.Empty;
    }

    public DeviceExecutionException(string device, DeviceFailureKind kind, string message, Exception? innerException)
        : base(message, innerException)
    {
        Device = device;
        Kind = kind;
    }

    /// <summary>The device name ("cuda:0").</summary>
    public string Device { get; }

    public DeviceFailureKind Kind { get; }
}
