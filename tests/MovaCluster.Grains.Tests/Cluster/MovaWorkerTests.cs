using System.Diagnostics;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Execution.Mova;
using MovaCluster.Grains.Tests.Infrastructure;
using MovaCluster.Testing;
using Orleans.TestingHost;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>A worker running the tiny random-weights MOVA through the whole runtime: queue, device thread, previews, mux, store.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MovaWorkerTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 0, devices: "cpu", executor: "Mova");

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_job_on_the_tiny_mova_yields_jpeg_previews_from_the_first_step_and_an_mp4_with_48_khz_audio()
    {
        var id = Requests.NewJobId();
        await using var recorder = await JobEventRecorder.SubscribeAsync(_cluster.Client, id);
        var submission = Requests.Tiny("mova", steps: 4, seed: 7);
        submission = submission with
        {
            Request = submission.Request with { Width = 64, Height = 48, FrameCount = 17, FramesPerSecond = 8, GuidanceScale = 5f },
        };

        await _cluster.Client.GetGrain<IJobGrain>(id).SubmitAsync(submission);
        await recorder.WaitForAsync<JobCompletedEvent>(seconds: 120);
        var snapshot = await _cluster.Client.GetGrain<IJobGrain>(id).GetAsync();
        var events = recorder.Events;

        Assert.Equal(JobStatus.Completed, snapshot.Status);
        Assert.Equal(MovaExecutorFactory.TinyModelName, snapshot.ModelName);
        Assert.Equal(
            [JobPhase.Encoding, JobPhase.DenoisingHighNoise, JobPhase.DenoisingLowNoise, JobPhase.Decoding, JobPhase.Muxing, JobPhase.Uploading],
            events.OfType<JobPhaseEvent>().Select(e => e.Phase));
        var previews = events.OfType<JobPreviewEvent>().ToList();
        Assert.Equal([1, 2, 3, 4], previews.Select(p => p.Step));
        Assert.All(previews, p => Assert.Equal([0xFF, 0xD8], p.Image[..2]));
        // 17 frames at 8 fps = 2.125 s of audio at 50 latent frames per second -> 107 envelope levels.
        Assert.All(previews, p => Assert.Equal(107, p.AudioEnvelope!.Length));
        Assert.All(previews, p => Assert.Equal(50.0, p.AudioEnvelopeFramesPerSecond));
        Assert.NotEqual(previews[0].Image, previews[^1].Image);

        var streams = await Probe(Path.Combine(RuntimeCluster.ClipRoot(_cluster.Options.ClusterId), snapshot.Clip!.Key));
        Assert.Contains("codec_name=h264|width=64|height=48", streams, StringComparison.Ordinal);
        Assert.Contains("codec_name=aac|sample_rate=48000", streams, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_fronting_a_two_device_pipeline_with_cfg_pairs_publishes_the_single_device_clip_bit_for_bit()
    {
        var submission = Requests.Tiny("planned", steps: 4, seed: 11);
        submission = submission with
        {
            Request = submission.Request with { Width = 64, Height = 48, FrameCount = 9, FramesPerSecond = 8, GuidanceScale = 5f },
        };
        var single = await RunAsync(_cluster, submission);

        var planned = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 0, devices: "cpu", executor: "Mova", properties: new Dictionary<string, string>
        {
            [RuntimeSiloConfigurator.PlanKey] = "pipeline2+cfg",
            [RuntimeSiloConfigurator.DeviceGroupKey] = "cpu,cpu:1,cpu:2,cpu:3",
        });
        try
        {
            var onPlan = await RunAsync(planned, submission);

            Assert.Equal(JobStatus.Completed, onPlan.Status);
            Assert.Equal(single.Clip!.Sha256, onPlan.Clip!.Sha256);
        }
        finally
        {
            await planned.StopAllSilosAsync();
            await planned.DisposeAsync();
        }
    }

    private static async Task<JobSnapshot> RunAsync(TestCluster cluster, JobSubmission submission)
    {
        var id = Requests.NewJobId();
        await using var recorder = await JobEventRecorder.SubscribeAsync(cluster.Client, id);
        await cluster.Client.GetGrain<IJobGrain>(id).SubmitAsync(submission);
        await recorder.WaitForAsync<JobCompletedEvent>(seconds: 120);
        return await cluster.Client.GetGrain<IJobGrain>(id).GetAsync();
    }

    private static async Task<string> Probe(string path)
    {
        var start = new ProcessStartInfo(FfmpegTools.Ffprobe, ["-v", "error", "-show_entries", "stream=codec_name,width,height,sample_rate", "-of", "compact=nokey=0", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var probe = Process.Start(start)!;
        var text = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync();
        Assert.True(probe.ExitCode == 0, await probe.StandardError.ReadToEndAsync());
        return text;
    }
}
