using System.Threading.Channels;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Execution;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// Observer on the device thread and forwarder off it. The device thread only builds events, copies latents for
/// a checkpoint or a preview when one is due and writes them to a channel; a separate loop renders previews,
/// stores checkpoints and reports events to the job grain, so the device never waits for the cluster. When the job grain answers that the job
/// should stop (cancelled, or this attempt is no longer current) the pump cancels the run.
/// </summary>
internal sealed class ProgressPump(
    IJobGrain job,
    string jobId,
    int attempt,
    WorkerOptions options,
    ICheckpointStore checkpoints,
    StepPreviewRenderer previews,
    CancellationTokenSource stop) : IGenerationObserver
{
    private readonly Channel<PumpItem> _items = Channel.CreateUnbounded<PumpItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private const int MaxBatch = 64;
    private double? _averageMilliseconds;

    /// <summary>Steps done by the device (read after the run).</summary>
    public int CompletedSteps { get; private set; }

    /// <summary>True when the job grain told this attempt to stop.</summary>
    public bool StoppedByJob { get; private set; }

    public void OnPhase(GenerationPhase phase) => Post(new JobPhaseEvent { Phase = phase.ToJobPhase() });

    public void OnStep(IDenoiseStepState step)
    {
        CompletedSteps = step.CompletedSteps;
        var milliseconds = step.Duration.TotalMilliseconds;
        _averageMilliseconds = _averageMilliseconds is { } average ? (0.7 * average) + (0.3 * milliseconds) : milliseconds;
        Post(new JobStepEvent
        {
            Step = step.CompletedSteps,
            TotalSteps = step.TotalSteps,
            Phase = step.Expert.ToDenoisingPhase(),
            MillisecondsPerStep = milliseconds,
            EstimatedRemaining = TimeSpan.FromMilliseconds(_averageMilliseconds.Value * (step.TotalSteps - step.CompletedSteps)),
        });
        if ((step.CompletedSteps - 1) % options.PreviewEverySteps == 0)
        {
            _items.Writer.TryWrite(new PumpItem(null, null, new PendingPreview(step.CompletedSteps, step.CapturePreview(previews.StripFrames), DateTimeOffset.UtcNow)));
        }

        if (step.CompletedSteps % options.CheckpointEverySteps == 0 && step.CompletedSteps < step.TotalSteps)
        {
            _items.Writer.TryWrite(new PumpItem(null, step.CaptureCheckpoint(), null));
        }
    }

    /// <summary>Queues an event, stamped now: the moment it happened, however long forwarding takes.</summary>
    public void Post(JobEvent progress) => _items.Writer.TryWrite(new PumpItem(progress with { Timestamp = DateTimeOffset.UtcNow }, null, null));

    /// <summary>No more items; <see cref="RunAsync"/> finishes after forwarding what is queued.</summary>
    public void Complete() => _items.Writer.TryComplete();

    /// <summary>Forwards items in order; events waiting together go to the job grain in one call (one state write).</summary>
    public async Task RunAsync()
    {
        var batch = new List<JobEvent>();
        var reader = _items.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryPeek(out var next) && next.Checkpoint is null && reader.TryRead(out next))
            {
                if ((next.Event ?? RenderOrSkip(next.Preview!)) is { } ready)
                {
                    batch.Add(ready);
                }
            }

            if (batch.Count > 0)
            {
                await ReportAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
            else if (reader.TryRead(out var item) && item.Checkpoint is { } checkpoint && !StoppedByJob)
            {
                await checkpoints.SaveAsync(jobId, checkpoint, CancellationToken.None).ConfigureAwait(false);
                await job.RecordCheckpointAsync(attempt, checkpoint.CompletedSteps).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A preview that cannot be drawn (say, a latent space without preview factors) is left out, never fatal.</summary>
    private JobPreviewEvent? RenderOrSkip(PendingPreview preview)
    {
        try
        {
            return previews.Render(preview.Step, preview.Latents) with { Timestamp = preview.CapturedAt };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private async Task ReportAsync(List<JobEvent> batch)
    {
        if (!StoppedByJob && !await job.ReportAsync(attempt, batch.ToList()).ConfigureAwait(false))
        {
            StoppedByJob = true;
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
