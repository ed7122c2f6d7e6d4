using Microsoft.Extensions.Logging;

namespace MovaCluster.Execution.DeviceThreads;

/// <summary>
/// A worker device: its <see cref="DeviceThread{TResident}"/> builds the configured executor (loading the model
/// onto the device) and runs the jobs the worker grain hands it. Its commands are whole jobs, so the thread returns
/// the CUDA caching allocator's unused blocks to the driver after each one: a finished job's activations do not stay
/// reserved (or fragment the cache) for the next job's shapes.
/// </summary>
public sealed partial class DeviceWorker : IAsyncDisposable
{
    private readonly DeviceThread<IGenerationExecutor> _thread;
    private readonly ILogger _logger;
    private ExecutorDescription? _description;

    public DeviceWorker(DeviceContext device, IGenerationExecutorFactory factory, ILogger<DeviceWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _logger = logger;
        _thread = new DeviceThread<IGenerationExecutor>(device, "device", context =>
        {
            var executor = factory.Create(context);
            _description = executor.Description;
            return executor;
        }, releaseAfterEachCommand: true);
        Ready = DescribeWhenReadyAsync();
    }

    public DeviceContext Device => _thread.Device;

    /// <summary>The sticky CUDA error that made this device unusable, or null while it serves.</summary>
    public DeviceExecutionException? Unusable => _thread.Unusable;

    /// <summary>Completes once the executor is built (weights loaded) on the device thread.</summary>
    public Task<ExecutorDescription> Ready { get; }

    /// <summary>Loading, ready (with its model) or failed (with why, worker-local paths left out).</summary>
    public DeviceWorkerReadiness Readiness => Ready.Status switch
    {
        TaskStatus.RanToCompletion => new DeviceWorkerReadiness(Device.Name, DeviceWorkerState.Ready, Ready.Result.ModelName),
        TaskStatus.Faulted or TaskStatus.Canceled => new DeviceWorkerReadiness(Device.Name, DeviceWorkerState.Failed,
            Error: Ready.Exception is { } failure ? FailureText.Describe(failure) : "the executor's start was cancelled"),
        _ => new DeviceWorkerReadiness(Device.Name, DeviceWorkerState.Loading),
    };

    /// <summary>Runs <paramref name="work"/> on the device thread, inside a dispose scope and with gradients off.</summary>
    public Task<T> RunAsync<T>(Func<IGenerationExecutor, T> work) => _thread.RunAsync(work);

    /// <summary>Stops taking work; the running command finishes (callers cancel it through their own tokens).</summary>
    public ValueTask DisposeAsync() => _thread.DisposeAsync();

    private async Task<ExecutorDescription> DescribeWhenReadyAsync()
    {
        try
        {
            await _thread.Ready.ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            LogExecutorFailed(failure, Device.Name);
            throw;
        }

        // Written on the device thread before Ready completed.
        var description = _description!;
        LogExecutorReady(Device.Name, description.ModelName, description.OutputIsNoise, _thread.Binding);
        return description;
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Device {Device}: executor ready, model {Model} (output is noise: {OutputIsNoise}); thread bound as {Binding}")]
    private partial void LogExecutorReady(string device, string model, bool outputIsNoise, string binding);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Device {Device}: the executor could not be created")]
    private partial void LogExecutorFailed(Exception exception, string device);
}
