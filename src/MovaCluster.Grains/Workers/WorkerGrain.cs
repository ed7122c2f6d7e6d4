using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Lora;
using MovaCluster.Grains.Adapters;
using MovaCluster.Execution.Publishing;
using MovaCluster.Grains.Placement;
using MovaCluster.Grains.Telemetry;
using MovaCluster.ServiceDefaults.Resilience;
using Orleans.Placement;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// Fronts the device worker of one local device. Placed on the silo named in its key and never moved; it only
/// decides what to run and hands the run to a <see cref="JobRunner"/> on the thread pool, so no grain turn ever
/// waits for the device.
/// </summary>
[DeviceWorkerPlacement]
[Immovable]
[KeepAlive]
internal sealed partial class WorkerGrain(
    DeviceWorkerPool pool,
    DeviceRuns runs,
    ILocalSiloDetails silo,
    ICheckpointStore checkpoints,
    IClipPublisher publisher,
    StepPreviewRenderer previews,
    LoraResidency loraResidency,
    LoraFileCache loraFiles,
    IOptions<WorkerOptions> options,
    MovaMetrics metrics,
    OutageRetry retry,
    ILogger<WorkerGrain> logger) : Grain, IWorkerGrain
{
    private readonly CancellationTokenSource _deactivating = new();
    private WorkerDescriptor _descriptor = null!;
    private DeviceWorker _device = null!;
    private JobRunner? _run;
    private JobRunner? _reportedStall;
    private bool _polling;
    private long _jobsRun;

    private IJobQueueGrain Queue => GrainFactory.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (siloName, device) = WorkerId.Parse(this.GetPrimaryKeyString());
        if (siloName != silo.Name)
        {
            throw new InvalidOperationException(
                $"Worker {this.GetPrimaryKeyString()} belongs to silo '{siloName}' but was activated on '{silo.Name}'.");
        }

        _device = pool.Get(device);
        var executor = await _device.Ready.WaitAsync(cancellationToken);
        _descriptor = new WorkerDescriptor
        {
            WorkerId = this.GetPrimaryKeyString(),
            SiloName = silo.Name,
            SiloAddress = silo.SiloAddress.ToParsableString(),
            Device = device,
            MemoryBytes = executor.MemoryBytes,
            ModelName = executor.ModelName,
            MaxVolume = executor.MaxVolume,
            Shards = executor.Shards,
            OutputIsNoise = executor.OutputIsNoise,
            WeightDType = executor.WeightDType,
        };
        if (runs.TryGet(_descriptor.WorkerId, out var inFlight, out var running))
        {
            // A previous activation was deactivated while the device was busy: carry on with its run.
            _run = inFlight;
            _jobsRun++;
            metrics.Workers.MarkBusy(_descriptor);
            LogAdopted(inFlight.JobId, inFlight.Attempt);
            _ = WatchAsync(inFlight, running);
        }

        this.RegisterGrainTimer(HeartbeatAsync, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.HeartbeatInterval) { Interleave = true });
        LogActivated(_descriptor.WorkerId, executor.ModelName, executor.OutputIsNoise);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _deactivating.CancelAsync();
        LogDeactivated(_descriptor?.WorkerId ?? this.GetPrimaryKeyString(), reason.Description);
    }

    public async Task<WorkerDescriptor> StartAsync()
    {
        await PollAsync();
        return _descriptor;
    }

    public Task WakeAsync() => PollAsync();

    public Task CancelJobAsync(string jobId, int attempt)
    {
        if (_run is { } run && run.JobId == jobId && run.Attempt == attempt)
        {
            LogCancelling(jobId, attempt);
            run.Cancel();
        }

        return Task.CompletedTask;
    }

    public Task<WorkerStatus> GetStatusAsync() =>
        Task.FromResult(new WorkerStatus
        {
            Worker = Described(), RunningJobId = _run?.JobId, JobsRun = _jobsRun,
            Utilisation = metrics.Workers.Timeline(_descriptor.WorkerId), UtilisationBucket = WorkerUtilisation.Bucket,
        });

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var run = _run;
        var descriptor = Described();
        await GrainFactory.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey).HeartbeatAsync(descriptor, run?.JobId);
        await Queue.HeartbeatAsync(descriptor, run is not null && !IsStalled(run) ? run.JobId : null);
        await PollAsync();
    }

    /// <summary>The worker as the queue should see it now: with the LoRA adapters its device holds.</summary>
    private WorkerDescriptor Described() => _descriptor with { HeldLoras = loraResidency.HeldBy(_descriptor.Device) };

    /// <summary>A hung device thread must not keep the job: without renewals its lease expires and the job moves on.</summary>
    private bool IsStalled(JobRunner run)
    {
        var quiet = run.SinceLastProgress;
        if (quiet <= options.Value.StallTimeout)
        {
            return false;
        }

        if (!ReferenceEquals(_reportedStall, run))
        {
            _reportedStall = run;
            LogStalled(run.JobId, run.Attempt, quiet);
        }

        return true;
    }

    private async Task PollAsync()
    {
        // A device left unusable by a sticky CUDA error would fail every job it took: it takes none, so they go elsewhere.
        if (_run is not null || _polling || _deactivating.IsCancellationRequested || _device.Unusable is not null)
        {
            return;
        }

        _polling = true;
        WorkAssignment? assignment;
        try
        {
            assignment = await Queue.RequestWorkAsync(Described());
        }
        finally
        {
            _polling = false;
        }

        if (assignment is null)
        {
            return;
        }

        // Only the silo stopping abandons a run; a deactivated activation leaves it to the next one (DeviceRuns).
        var run = new JobRunner(GrainFactory, _descriptor, assignment, _device, checkpoints, publisher, previews, loraFiles, options.Value, retry, logger, pool.Stopping);
        _run = run;
        _jobsRun++;
        metrics.Workers.MarkBusy(_descriptor);
        _ = WatchAsync(run, runs.Start(_descriptor.WorkerId, run));
    }

    /// <summary>Runs in this activation's context: clears the slot when the run ends and asks for the next job.</summary>
    private async Task WatchAsync(JobRunner run, Task running)
    {
        try
        {
            await running;
        }
        catch (Exception failure)
        {
            LogRunFaulted(failure, run.JobId, run.Attempt);
        }

        if (ReferenceEquals(_run, run))
        {
            _run = null;
            metrics.Workers.MarkIdle(_descriptor);
        }

        await PollAsync();
    }
}
