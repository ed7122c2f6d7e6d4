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
/// The thread binds itself to its device first (<see cref="DeviceContext.BindCurrentThread"/>). libtorch failures
/// reach callers as <see cref="DeviceExecutionException"/>s (<see cref="DeviceFailures"/>); after an out-of-memory
/// failure the device's cached blocks are released, and after a sticky CUDA error the thread refuses all further work.
/// </summary>
public sealed class DeviceThread<TResident> : IAsyncDisposable
    where TResident : IDisposable
{
    private readonly BlockingCollection<(Action<TResident> Run, Action<Exception> Abandon)> _commands = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<DeviceContext, TResident> _build;
    private readonly bool _releaseAfterEachCommand;
    private volatile DeviceExecutionException? _unusable;
    private bool _releaseAfterFailure;
    private int _disposed;

    /// <param name="device">The device the thread drives.</param>
    /// <param name="role">What the thread does, for its name and messages.</param>
    /// <param name="build">Builds the resident on the thread.</param>
    /// <param name="releaseAfterEachCommand">
    /// Return the caching allocator's unused blocks to the driver after every command (a worker device, whose commands
    /// are whole jobs); plan stages, whose commands are single passes, keep their cache.
    /// </param>
    public DeviceThread(DeviceContext device, string role, Func<DeviceContext, TResident> build, bool releaseAfterEachCommand = false)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentNullException.ThrowIfNull(build);
        Device = device;
        Role = role;
        _build = build;
        _releaseAfterEachCommand = releaseAfterEachCommand;
        new Thread(RunLoop) { IsBackground = true, Name = $"mova-{role}-{device.Name}" }.Start();
    }

    public DeviceContext Device { get; }

    /// <summary>What this thread does, e.g. "device" for a worker device or "high-noise stage 1/2, layers [20, 40)".</summary>
    public string Role { get; }

    /// <summary>Completes once the resident is built (or fails with the reason it could not be).</summary>
    public Task Ready => _ready.Task;

    /// <summary>How the thread was bound to its device (set before <see cref="Ready"/> completes).</summary>
    public string Binding { get; private set; } = "not bound yet";

    /// <summary>The sticky CUDA error that made this device unusable, or null.</summary>
    public DeviceExecutionException? Unusable => _unusable;

    /// <summary>Queues <paramref name="work"/> for the device thread.</summary>
    public Task<T> RunAsync<T>(Func<TResident, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Run(TResident resident)
        {
            if (_unusable is { } unusable)
            {
                completion.TrySetException(new DeviceExecutionException(Device.Name, DeviceFailureKind.DeviceUnusable, unusable.Message, unusable));
                return;
            }

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
                var described = DeviceFailures.Describe(failure, Device);
                if (described is DeviceExecutionException { Kind: DeviceFailureKind.DeviceUnusable } sticky)
                {
                    _unusable = sticky;
                }

                _releaseAfterFailure = described is DeviceExecutionException { Kind: DeviceFailureKind.OutOfMemory };

                completion.TrySetException(described);
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
            Binding = Device.BindCurrentThread();
            using var noGrad = torch.no_grad();
            resident = _build(Device);
        }
        catch (Exception failure)
        {
            _ready.TrySetException(DeviceFailures.Describe(failure, Device));
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
                using (torch.NewDisposeScope())
                using (torch.no_grad())
                {
                    command.Run(resident);
                }

                if (_releaseAfterEachCommand || _releaseAfterFailure)
                {
                    _releaseAfterFailure = false;
                    ReleaseCachedMemory();
                }
            }
        }

        _stopped.TrySetResult();
    }

    // After the command's tensors are gone (its dispose scope has ended). Never after a sticky error: the context no
    // longer answers.
    private void ReleaseCachedMemory()
    {
        if (_unusable is not null || !Device.IsCuda)
        {
            return;
        }

        try
        {
            Device.ReleaseCachedMemory();
        }
        catch (Exception failure) when (failure is System.Runtime.InteropServices.ExternalException or InvalidOperationException)
        {
            // Releasing a cache is an optimisation; the next command reports any real device problem itself.
        }
    }
}
