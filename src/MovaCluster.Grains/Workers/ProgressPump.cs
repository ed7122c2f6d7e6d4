using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Execution;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Model.Pipeline;
using MovaCluster.ServiceDefaults.Resilience;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// Observer on the device thread and forwarder off it. The device thread only builds events, copies latents for
/// a checkpoint or a preview when one is due and writes them to a channel; a separate loop renders previews,
/// stores checkpoints and reports events to the job grain, so the device never waits for the cluster. When the job
/// grain answers that the job should stop (cancelled, or this attempt is no longer current) the pump cancels the run;
/// when the job grain stays unreachable beyond the proxy's retry window the pump gives up and cancels the run too, and
/// the attempt is handed back to the queue. A checkpoint the store cannot take is skipped: the next one comes a few
/// steps later.
/// </summary>
internal sealed partial class ProgressPump(
    IJobGrain job,
    string jobId,
    int attempt,
    WorkerOptions options,
    ICheckpointStore checkpoints,
    StepPreviewRenderer previews,
    CancellationTokenSource stop,
    ILogger logger) : IGenerationObserver
{
    private readonly Channel<PumpItem> _items = Channel.CreateUnbounded<PumpItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private const int MaxBatch = 64;
    private const double MinimumRateWork = 0.25;
    private double? _averageMilliseconds;

    /// <summary>Steps done by the device (read after the run).</summary>
    public int CompletedSteps { get; private set; }

    /// <summary>True when the job grain told this attempt to stop.</summary>
    public bool StoppedByJob { get; private set; }

    /// <summary>True when the job grain stayed unreachable beyond the retry window and the pump stopped the run.</summary>
    public bool GaveUp { get; private set; }

    public void OnPhase(GenerationPhase phase) => Post(new JobPhaseEvent { Phase = phase.ToJobPhase() });

    public void OnStep(IDenoiseStepState step)
    {
        CompletedSteps = step.CompletedSteps;
        var milliseconds = step.Duration.TotalMilliseconds;

        // The rate is time per uncached step's worth of work; steps that reused most layers are mostly fixed cost
        // (stem, heads, scheduler), so they only set the rate when nothing better was measured yet.
        if (step.Work >= MinimumRateWork || _averageMilliseconds is null)
        {
            var perUnit = milliseconds / Math.Max(step.Work, MinimumRateWork);
            _averageMilliseconds = _averageMilliseconds is { } average ? (0.7 * average) + (0.3 * perUnit) : perUnit;
        }

        Post(new JobStepEvent
        {
            Step = step.CompletedSteps,
            TotalSteps = step.TotalSteps,
            Phase = step.Expert.ToDenoisingPhase(),
            MillisecondsPerStep = milliseconds,
            EstimatedRemaining = TimeSpan.FromMilliseconds(_averageMilliseconds!.Value * Math.Max(0, step.RemainingWork)),
            Cache = step.Cache,
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
        try
        {
            await ForwardAsync().ConfigureAwait(false);
        }
        catch (Exception failure) when (TransientFailure.Is(failure))
        {
            GaveUp = true;
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ForwardAsync()
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
                await SaveCheckpointAsync(checkpoint).ConfigureAwait(false);
            }
        }
    }

    private async Task SaveCheckpointAsync(DenoiseCheckpoint checkpoint)
    {
        try
        {
            await checkpoints.SaveAsync(jobId, checkpoint, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure) when (TransientFailure.Is(failure))
        {
            // A resume starts from the latest checkpoint that was recorded; this one is simply not.
            LogCheckpointSkipped(jobId, checkpoint.CompletedSteps, failure.GetType().Name);
            return;
        }

        await job.RecordCheckpointAsync(attempt, checkpoint.CompletedSteps).ConfigureAwait(false);
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

    [LoggerMessage(EventId = 6308, Level = LogLevel.Warning, Message = "Job {JobId}: the checkpoint after step {Step} was not stored ({Failure}); the next one will be")]
    private partial void LogCheckpointSkipped(string jobId, int step, string failure);
}
