namespace MovaCluster.Execution.DeviceThreads;

/// <summary>One unit of work queued for a device thread.</summary>
internal abstract class DeviceCommand
{
    public abstract void Run(DeviceContext device, IGenerationExecutor executor);

    public abstract void Abandon(Exception reason);
}
