using System.Collections.Concurrent;
using TorchSharp;

namespace MovaCluster.Execution.DeviceThreads;

/// <summary>
/// One dedicated thread for one device: the only device-thread implementation. The thread builds the resident
/// <typeparamref name="TResident"/> (an executor with its loaded model, or a plan stage's modules) itself, runs every
/// command against it and disposes it, so modules and tensors are created, used and released on one thread
/// (TorchSharp's dispose scopes and grad mode are thread-local and do not follow an await). Each command runs inside
/// its own dispose scope with gradients off: a command that returns tensors must detach them from that scope; the
/// caller then owns them. Callers enqueue and await; nothing on their threads touches the device.
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
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentNullException.ThrowIfNull(build);
        Device = device;
        Role = role;
        _build = build;
        new Thread(RunLoop) { IsBackground = true, Name = $"mova-{role}-{device.Name}" }.Start();
    }

    public DeviceContext Device { get; }

    /// <summary>What this thread does, e.g. "device" for a worker device or "high-noise stage 1/2, layers [20, 40)".</summary>
    public string Role { get; }

    /// <summary>Completes once the resident is built (or fails with the reason it could not be).</summary>
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
            throw new ObjectDisposedException(nameof(DeviceThread<TResident>), $"The {Role} thread of {Device.Name} has stopped.");
        }

        return completion.Task;
    }

    /// <summary>
    /// Stops taking work, lets queued commands finish (callers cancel a running one through their own tokens) and
    /// disposes the resident on the device thread.
    /// </summary>
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
