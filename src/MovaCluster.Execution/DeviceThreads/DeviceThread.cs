using System.Collections.Concurrent;
using TorchSharp;

namespace MovaCluster.Execution.DeviceThreads;

/// <summary>
/// One dedicated thread for one device of a multi-device plan. The thread builds the resident
/// <typeparamref name="TResident"/> (a stage's modules) itself, runs every command against it and disposes it, so
/// the modules are created, used and released on one thread (TorchSharp's dispose scopes and grad mode are
/// thread-local). Each command runs inside its own dispose scope with gradients off: a command that returns
/// tensors must detach them from that scope; the caller then owns them.
/// </summary>
public sealed class DeviceThread<TResident> : IAsyncDisposable
    where TResident : IDisposable
{
    private readonly BlockingCollection<(Action<TResident> Run, Action<Exception> Abandon)> _commands = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<DeviceContext, TResident> _build;
    private int _disposed;

    public DeviceThread(DeviceContext device, string role, Func<DeviceContext, TResident> build)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(build);
        Device = device;
        Role = role;
        _build = build;
        new Thread(RunLoop) { IsBackground = true, Name = $"mova-{role}-{device.Name}" }.Start();
    }

    public DeviceContext Device { get; }

    /// <summary>What this worker does in its plan, e.g. "high-noise stage 1/2, layers [20, 40)".</summary>
    public string Role { get; }

    /// <summary>Completes once the resident modules are built (or fails with the reason they could not be).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Queues <paramref name="work"/> for the device thread.</summary>
    public Task<T> RunAsync<T>(Func<TResident, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Run(TResident resident)
        {
            try
            {
                completion.TrySetResult(work(resident));
            }
            catch (OperationCanceledException cancelled)
            {
                completion.TrySetCanceled(cancelled.CancellationToken);
            }
            catch (Exception failure)
            {
                completion.TrySetException(failure);
            }
        }

        try
        {
            _commands.Add((Run, reason => completion.TrySetException(reason)));
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(DeviceThread<TResident>), $"The {Role} worker on {Device.Name} has stopped.");
        }

        return completion.Task;
    }

    /// <summary>Stops taking work, lets queued commands finish and disposes the resident modules on the device thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _commands.CompleteAdding();
        await _stopped.Task.ConfigureAwait(false);
        _commands.Dispose();
    }

    private void RunLoop()
    {
        TResident resident;
        try
        {
            using var noGrad = torch.no_grad();
            resident = _build(Device);
        }
        catch (Exception failure)
        {
            _ready.TrySetException(failure);
            _commands.CompleteAdding();
            foreach (var command in _commands.GetConsumingEnumerable())
            {
                command.Abandon(failure);
            }

            _stopped.TrySetResult();
            return;
        }

        _ready.TrySetResult();
        using (resident)
        {
            foreach (var command in _commands.GetConsumingEnumerable())
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                command.Run(resident);
            }
        }

        _stopped.TrySetResult();
    }
}
