namespace MovaCluster.Execution.DeviceThreads;

/// <summary>A device command whose result completes a task awaited by the caller.</summary>
internal sealed class DeviceCommandOf<T>(Func<DeviceContext, IGenerationExecutor, T> work) : DeviceCommand
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public override void Run(DeviceContext device, IGenerationExecutor executor)
    {
        try
        {
            _completion.TrySetResult(work(device, executor));
        }
        catch (OperationCanceledException cancelled)
        {
            _completion.TrySetCanceled(cancelled.CancellationToken);
        }
        catch (Exception failure)
        {
            _completion.TrySetException(failure);
        }
    }

    public override void Abandon(Exception reason) => _completion.TrySetException(reason);
}
