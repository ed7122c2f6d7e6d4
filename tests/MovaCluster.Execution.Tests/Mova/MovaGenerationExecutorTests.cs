using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.Mova;
using MovaCluster.Execution.Tests.Support;
using MovaCluster.Model.Pipeline;
using SkiaSharp;

namespace MovaCluster.Execution.Tests.Mova;

/// <summary>The MOVA executor on the tiny random-weights model: the path a worker runs, from job to frames and PCM.</summary>
public sealed class MovaGenerationExecutorTests(TinyMovaExecutorFixture tiny) : IClassFixture<TinyMovaExecutorFixture>
{
    private static readonly GenerationJob Job = TinyJobs.Create("job-1", "A cat plays the piano in the rain.", seed: 42);

    [Fact]
    public void The_tiny_model_says_its_output_is_noise()
    {
        Assert.True(tiny.Executor.Description.OutputIsNoise);
        Assert.Equal(MovaExecutorFactory.TinyModelName, tiny.Executor.Description.ModelName);
        Assert.Contains("noise", tiny.Executor.Description.ModelName, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_runs_every_phase_in_order_to_rgb_frames_and_48_khz_audio()
    {
        var observer = new RecordingObserver();

        var output = tiny.Executor.Execute(Job, observer, CancellationToken.None);

        Assert.Equal(
            [GenerationPhase.Encoding, GenerationPhase.DenoisingHighNoise, GenerationPhase.DenoisingLowNoise, GenerationPhase.Decoding],
            observer.Phases);
        Assert.Equal([1, 2, 3, 4], observer.Steps);
        Assert.Equal((32, 32, 9, 8.0), (output.Width, output.Height, output.FrameCount, output.FramesPerSecond));
        Assert.Equal(32 * 32 * 3 * 9, output.VideoBytes().Length);
        Assert.Equal((48000, 1), (output.AudioSampleRate, output.AudioChannels));
        // int(48000 * 9 / 8) = 54000 samples -> 57 latent frames of 960 samples, decoded untrimmed.
        Assert.Equal(57 * 960, output.AudioSamples.Length);
        Assert.All(output.AudioSamples, s => Assert.True(float.IsFinite(s)));
        Assert.True(output.AudioSamples.Any(s => s != 0f), "audio is silent");
        Assert.True(output.VideoBytes().Distinct().Count() > 16, "video is flat");
    }

    [Fact]
    public void Resuming_from_a_stored_checkpoint_gives_the_uninterrupted_output_bit_for_bit()
    {
        var observer = new RecordingObserver(checkpointAt: 2);
        var uninterrupted = tiny.Executor.Execute(Job, observer, CancellationToken.None);
        var stored = DenoiseCheckpointCodec.Decode(DenoiseCheckpointCodec.Encode(observer.Checkpoint!));

        var resumedObserver = new RecordingObserver();
        var resumed = tiny.Executor.Execute(Job with { ResumeFrom = stored }, resumedObserver, CancellationToken.None);

        Assert.Equal(2, stored.CompletedSteps);
        Assert.Equal([1L, 16, 3, 4, 4], stored.Video.Shape);
        Assert.Equal([3, 4], resumedObserver.Steps);
        Assert.Equal([GenerationPhase.Encoding, GenerationPhase.DenoisingLowNoise, GenerationPhase.Decoding], resumedObserver.Phases);
        Assert.Equal(uninterrupted.VideoBytes(), resumed.VideoBytes());
        Assert.Equal(uninterrupted.AudioSamples, resumed.AudioSamples);
    }

    [Fact]
    public void A_checkpoint_of_another_shape_is_refused_with_both_shapes_named()
    {
        var observer = new RecordingObserver(checkpointAt: 1);
        tiny.Executor.Execute(Job, observer, CancellationToken.None);

        var error = Assert.Throws<ArgumentException>(() => tiny.Executor.Execute(
            Job with { Request = Job.Request with { Width = 48 }, ResumeFrom = observer.Checkpoint }, new RecordingObserver(), CancellationToken.None));

        Assert.Contains("[1, 16, 3, 4, 4]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 16, 3, 4, 6]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_stops_at_the_next_step_boundary()
    {
        using var cancel = new CancellationTokenSource();
        var observer = new CancellingObserver(2, cancel);

        Assert.ThrowsAny<OperationCanceledException>(() => tiny.Executor.Execute(Job, observer, cancel.Token));

        Assert.Equal(2, observer.LastStep);
    }

    [Fact]
    public void Previews_hold_evenly_spaced_video_latent_frames_and_the_whole_audio_latent()
    {
        var observer = new RecordingObserver();

        tiny.Executor.Execute(Job with { Request = Job.Request with { FrameCount = 17 } }, observer, CancellationToken.None);

        var preview = observer.FirstPreview!;
        // 17 frames -> 5 latent frames; 4 picked (0, 1, 3, 4) of 16 channels at 32/8 x 32/8.
        Assert.Equal([16L, 4, 4, 4], preview.Video.Shape);
        // int(48000 * 17 / 8) = 102000 samples -> 107 audio latent frames.
        Assert.Equal([8L, 107], preview.Audio.Shape);
        Assert.Equal(50.0, preview.AudioFramesPerSecond);
        Assert.All(preview.Video.Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void The_reference_image_and_the_prompt_both_steer_the_output()
    {
        var grey = tiny.Executor.Execute(Job, new RecordingObserver(), CancellationToken.None);
        var red = tiny.Executor.Execute(Job with { Request = Job.Request with { ReferenceImage = SolidPng(new SKColor(230, 20, 20)) } }, new RecordingObserver(), CancellationToken.None);
        var otherPrompt = tiny.Executor.Execute(Job with { Request = Job.Request with { Prompt = "A dog barks at the sea." } }, new RecordingObserver(), CancellationToken.None);

        Assert.NotEqual(grey.VideoBytes(), red.VideoBytes());
        Assert.NotEqual(grey.AudioSamples, otherPrompt.AudioSamples);
    }

    [Fact]
    public void A_job_larger_than_the_worker_allows_is_refused_before_any_work()
    {
        var observer = new RecordingObserver();

        var error = Assert.Throws<ArgumentException>(() =>
            tiny.Executor.Execute(Job with { Request = Job.Request with { Width = 1280, Height = 720, FrameCount = 193 } }, observer, CancellationToken.None));

        Assert.Contains("exceeds", error.Message, StringComparison.Ordinal);
        Assert.Empty(observer.Phases);
    }

    private static byte[] SolidPng(SKColor color)
    {
        using var bitmap = new SKBitmap(32, 32);
        bitmap.Erase(color);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
