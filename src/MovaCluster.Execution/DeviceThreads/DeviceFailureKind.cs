namespace MovaCluster.Execution.DeviceThreads;

/// <summary>What a libtorch failure on a device means for the work after it.</summary>
public enum DeviceFailureKind
{
    /// <summary>An ordinary libtorch error (bad shape, unsupported dtype, ...): this job failed, the device is fine.</summary>
    Error,

    /// <summary>The device ran out of memory: this job failed; its cached blocks are released and smaller jobs still run.</summary>
    OutOfMemory,

    /// <summary>
    /// A sticky CUDA error (illegal address, device-side assert, launch failure, ECC): the CUDA context is corrupt and
    /// every later call on it fails, so the device refuses further work until the process restarts.
    /// </summary>
    DeviceUnusable,
}
