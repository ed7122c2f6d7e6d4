using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.Publishing;
using MovaCluster.Execution.TestDevices.Synthetic;
using MovaCluster.Execution.Tests.Support;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.Execution.Tests.TestDevices;

public sealed class SyntheticExecutorTests
{
    private static readonly GenerationJob Job = new()
    {
        JobId = "sim",
        Request = new GenerationRequest
        {
            Prompt = "p",
            Width = 8,
            Height = 4,
            FrameCount = 3,
            Steps = 12,
            GuidanceScale = 5,
        },
        Seed = 2024,
    };

    [Fact]
    public void Resuming_from_a_mid_run_checkpoint_gives_the_same_output_as_an_uninterrupted_run()
    {
        using var executor = new SyntheticGenerationExecutor(new SyntheticExecutorOptions());
        var full = executor.Execute(Job, new RecordingObserver(), CancellationToken.None);
        var first = new RecordingObserver(checkpointAt: 5);
        executor.Execute(Job, first, CancellationToken.None);
        var stored = DenoiseCheckpointCodec.Decode(DenoiseCheckpointCodec.Encode(first.Checkpoint!));

        var resumedObserver = new RecordingObserver();
        var resumed = executor.Execute(Job with { ResumeFrom = stored }, resumedObserver, CancellationToken.None);

        Assert.Equal(Enumerable.Range(6, 7), resumedObserver.Steps);
        Assert.Equal(RawClipPublisher.Encode(full), RawClipPublisher.Encode(resumed));
    }

    [Fact]
    public void A_different_seed_or_a_wrong_checkpoint_changes_the_output()
    {
        using var executor = new SyntheticGenerationExecutor(new SyntheticExecutorOptions());
        var reference = RawClipPublisher.Encode(executor.Execute(Job, new RecordingObserver(), CancellationToken.None));
        var observer = new RecordingObserver(checkpointAt: 5);
        executor.Execute(Job, observer, CancellationToken.None);

        var otherSeed = RawClipPublisher.Encode(executor.Execute(Job with { Seed = 7 }, new RecordingObserver(), CancellationToken.None));
        var offByOne = RawClipPublisher.Encode(executor.Execute(
            Job with { ResumeFrom = observer.Checkpoint! with { CompletedSteps = 4 } }, new RecordingObserver(), CancellationToken.None));

        Assert.NotEqual(reference, otherSeed);
        Assert.NotEqual(reference, offByOne);
    }

    [Fact]
    public void Phases_come_in_pipeline_order_with_both_experts()
    {
        using var executor = new SyntheticGenerationExecutor(new SyntheticExecutorOptions());
        var observer = new RecordingObserver();

        executor.Execute(Job, observer, CancellationToken.None);

        Assert.Equal(
            [GenerationPhase.Encoding, GenerationPhase.DenoisingHighNoise, GenerationPhase.DenoisingLowNoise, GenerationPhase.Decoding],
            observer.Phases);
        Assert.Equal([16L, 1, 16, 16], observer.FirstPreview!.Video.Shape);
        Assert.Equal(16 * 16 * 16, observer.FirstPreview.Video.Values.Length);
        Assert.Equal([1L, 1024], observer.FirstPreview.Audio.Shape);
    }

    [Fact]
    public void Cancellation_stops_the_loop_at_a_step_boundary()
    {
        using var executor = new SyntheticGenerationExecutor(new SyntheticExecutorOptions());
        using var cancel = new CancellationTokenSource();
        var observer = new CancellingObserver(3, cancel);

        Assert.ThrowsAny<OperationCanceledException>(() => executor.Execute(Job, observer, cancel.Token));
        Assert.Equal(3, observer.LastStep);
    }
}
