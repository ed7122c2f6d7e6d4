using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace MovaCluster.Execution.DeviceThreads;

/// <summary>
/// One dedicated thread per device with a command queue. The thread creates the device's executor, so every
/// module, tensor and dispose scope lives and dies on it (TorchSharp's scopes are thread-static and do not follow
/// an await). Callers enqueue work and await a task; nothing on the caller's thread touches the device.
/// </summary>
public sealed partial class DeviceWorker : IAsyncDisposable
{
    private readonly BlockingCollection<DeviceCommand> _commands = new();
    private readonly TaskCompletionSource<ExecutorDescription> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IGenerationExecutorFactory _factory;
    private readonly ILogger _logger;
    private readonly Thread _thread;

    public DeviceWorker(DeviceContext device, IGenerationExecutorFactory factory, ILogger<DeviceWorker> logger)
    {
        Device = device;
        _factory = factory;
        _logger = logger;
        _thread = new Thread(RunLoop) { IsBackground = true, Name = $"mova-device-{device.Name}" };
        _thread.Start();
    }

    public DeviceContext Device { get; }

    /// <summary>Completes once the executor is built (weights loaded) on the device thread.</summary>
    public Task<ExecutorDescription> Ready => _ready.Task;

    /// <summary>Runs <paramref name="work"/> on the device thread, inside a dispose scope and with gradients off.</summary>
    public Task<T> RunAsync<T>(Func<DeviceContext, IGenerationExecutor, T> work)
    {
        var command = new DeviceCommandOf<T>(work);
        try
        {
            _commands.Add(command);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(DeviceWorker), $"The worker of device {Device.Name} has stopped.");
        }

        return command.Task;
    }

    /// <summary>Stops taking work; the running command finishes (callers cancel it through their own tokens).</summary>
    public async ValueTask DisposeAsync()
    {
        _commands.CompleteAdding();
        await _stopped.Task.ConfigureAwait(false);
        _commands.Dispose();
    }

    private void RunLoop()
    {
        IGenerationExecutor executor;
        try
        {
            executor = _factory.Create(Device);
            _ready.TrySetResult(executor.Description);
            LogExecutorReady(Device.Name, executor.Description.ModelName, executor.Description.OutputIsNoise);
        }
        catch (Exception failure)
        {
            LogExecutorFailed(failure, Device.Name);
            _ready.TrySetException(failure);
            FailPending(failure);
            _stopped.TrySetResult();
            return;
        }

        using (executor)
        {
            foreach (var command in _commands.GetConsumingEnumerable())
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                command.Run(Device, executor);
            }
        }

        _stopped.TrySetResult();
    }

    private void FailPending(Exception reason)
    {
        _commands.CompleteAdding();
        foreach (var command in _commands.GetConsumingEnumerable())
        {
            command.Abandon(reason);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Device {Device}: executor ready, model {Model} (output is noise: {OutputIsNoise})")]
    private partial void LogExecutorReady(string device, string model, bool outputIsNoise);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Device {Device}: the executor could not be created")]
    private partial void LogExecutorFailed(Exception exception, string device);
}
