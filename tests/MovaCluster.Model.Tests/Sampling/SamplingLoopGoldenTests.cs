using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;

namespace MovaCluster.Model.Tests.Sampling;

/// <summary>The official sampling loops of the manifest (every case whose call is the pipeline), compared with the float64 reference.</summary>
public sealed class SamplingLoopGoldenTests(TinyModelFixture fixture, ITestOutputHelper output) : IClassFixture<TinyModelFixture>
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> LoopCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in GoldenSet.LoopCases)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void The_manifest_lists_at_least_one_loop_case() => Assert.NotEmpty(LoopCases());

    [Theory]
    [MemberData(nameof(LoopCases))]
    public void Loop_matches_the_official_pipeline_step_by_step(string caseName)
    {
        using var golden = new GoldenCase(caseName);
        var (request, options, statistics) = SamplingLoopCase.Build(golden);
        using var condition = request.Condition;
        TensorAssert.Equal(condition, golden["intermediate.condition"], "condition");

        using var recorder = new RecordingExecutor(new LocalStepExecutor(fixture.Denoiser));
        var progress = new List<StepProgress>();
        var snapshots = new List<(torch.Tensor Video, torch.Tensor Audio)>();
        using var result = MovaSampler.Run(recorder, request, options, onStep: p =>
        {
            progress.Add(p);
            snapshots.Add((p.VideoLatents.clone(), p.AudioLatents.clone()));
        });

        var steps = options.NumInferenceSteps;
        var expertIndex = golden["loop.expert_index"].data<long>().ToArray();
        var timesteps = golden["loop.timesteps"].data<float>().ToArray();
        Assert.Equal(steps, progress.Count);
        for (var k = 0; k < steps; k++)
        {
            Assert.Equal(k, progress[k].StepIndex);
            Assert.Equal(timesteps[k], progress[k].Timestep);
            Assert.Equal(expertIndex[k] == 0 ? VideoExpert.HighNoise : VideoExpert.LowNoise, progress[k].Expert);
            Assert.Equal(options.CfgScale != 1.0, recorder.Requests[k].HasNegative);

            var velocities = recorder.Velocities[k];
            Report(golden, $"step{k}.video_v_pos", velocities.VideoPos, 1e-5);
            Report(golden, $"step{k}.audio_v_pos", velocities.AudioPos, 1e-5);
            if (velocities.VideoNeg is not null)
            {
                Report(golden, $"step{k}.video_v_neg", velocities.VideoNeg, 1e-5);
                Report(golden, $"step{k}.audio_v_neg", velocities.AudioNeg!, 1e-5);
            }

            Report(golden, $"step{k}.video_latents_out", snapshots[k].Video, 1e-4);
            Report(golden, $"step{k}.audio_latents_out", snapshots[k].Audio, 1e-4);
            if (golden.Has($"reference_f64.step{k}.video_latents_out"))
            {
                Report(golden, $"reference_f64.step{k}.video_latents_out", snapshots[k].Video, Tolerance);
                Report(golden, $"reference_f64.step{k}.audio_latents_out", snapshots[k].Audio, Tolerance);
            }
        }

        Report(golden, "reference_f64.output.video_latents", result.VideoLatents, Tolerance);
        Report(golden, "reference_f64.output.audio_latents", result.AudioLatents, Tolerance);
        Report(golden, "output.video_latents", result.VideoLatents, 1e-4);
        Report(golden, "output.audio_latents", result.AudioLatents, 1e-4);
        using var denormalized = ImageCondition.Denormalize(result.VideoLatents, statistics.Mean, statistics.Std);
        Report(golden, "output.video_latents_denorm", denormalized, 1e-4);
        snapshots.ForEach(s => { s.Video.Dispose(); s.Audio.Dispose(); });
    }

    private void Report(GoldenCase golden, string name, torch.Tensor actual, double tolerance)
    {
        var error = TensorAssert.Close(actual, golden[name], tolerance, $"{golden.Name}/{name}");
        output.WriteLine($"{golden.Name} {name}: max rel err {error:E2}");
    }
}
