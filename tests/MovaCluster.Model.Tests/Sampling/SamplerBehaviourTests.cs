using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Sampling;

public sealed class SamplerBehaviourTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>, IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mova-sampler-").FullName;

    /// <summary>Resuming after the first step and before the last one of the set's loop.</summary>
    public static TheoryData<int> ResumePoints()
    {
        using var golden = new GoldenCase(GoldenSet.LoopCase());
        var steps = golden.Params.GetProperty("num_inference_steps").GetInt32();
        var data = new TheoryData<int>();
        foreach (var point in new[] { 1, steps - 1 }.Where(k => k >= 1 && k < steps).Distinct())
        {
            data.Add(point);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ResumePoints))]
    public void Resuming_from_a_saved_state_gives_exactly_the_uninterrupted_result(int resumeAfterSteps)
    {
        using var golden = new GoldenCase(GoldenSet.LoopCase());
        var (request, options, _) = SamplingLoopCase.Build(golden);
        using var condition = request.Condition;
        var executor = new LocalStepExecutor(fixture.Denoiser);
        var statePath = Path.Combine(_temp, "state.safetensors");

        using var uninterrupted = MovaSampler.Run(executor, request, options, onStep: p =>
        {
            if (p.StepIndex == resumeAfterSteps - 1)
            {
                using var state = p.ToState();
                state.Save(statePath);
            }
        });

        using var loaded = SamplerState.Load(statePath, torch.CPU);
        Assert.Equal(resumeAfterSteps, loaded.NextStep);
        var resumedSteps = new List<int>();
        using var resumed = MovaSampler.Run(executor, request, options, loaded, p => resumedSteps.Add(p.StepIndex));

        Assert.Equal(Enumerable.Range(resumeAfterSteps, options.NumInferenceSteps - resumeAfterSteps), resumedSteps);
        TensorAssert.Equal(resumed.VideoLatents, uninterrupted.VideoLatents, "video");
        TensorAssert.Equal(resumed.AudioLatents, uninterrupted.AudioLatents, "audio");
    }

    [Fact]
    public void Cancellation_stops_at_a_step_boundary_and_the_last_reported_state_resumes_exactly()
    {
        using var golden = new GoldenCase(GoldenSet.LoopCase());
        var (request, options, _) = SamplingLoopCase.Build(golden);
        using var condition = request.Condition;
        var recorder = new RecordingExecutor(new LocalStepExecutor(fixture.Denoiser));
        using var cancellation = new CancellationTokenSource();
        SamplerState? last = null;

        Assert.Throws<OperationCanceledException>(() => MovaSampler.Run(recorder, request, options, onStep: p =>
        {
            last?.Dispose();
            last = p.ToState();
            if (p.StepIndex == 1)
            {
                cancellation.Cancel();
            }
        }, cancellationToken: cancellation.Token));

        Assert.Equal(2, recorder.Requests.Count);
        Assert.NotNull(last);
        using (last)
        {
            Assert.Equal(2, last.NextStep);
            using var resumed = MovaSampler.Run(new LocalStepExecutor(fixture.Denoiser), request, options, last);
            using var uninterrupted = MovaSampler.Run(new LocalStepExecutor(fixture.Denoiser), request, options);
            TensorAssert.Equal(resumed.VideoLatents, uninterrupted.VideoLatents, "video");
        }

        recorder.Dispose();
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(5.0, true)]
    public void Cfg_of_one_runs_only_the_positive_pass(double cfg, bool expectNegative)
    {
        using var golden = new GoldenCase(GoldenSet.LoopCase());
        var (request, options, _) = SamplingLoopCase.Build(golden);
        using var condition = request.Condition;
        using var recorder = new RecordingExecutor(new LocalStepExecutor(fixture.Denoiser));
        using var result = MovaSampler.Run(recorder, request, options with { CfgScale = cfg, NumInferenceSteps = 2 });

        Assert.Equal(2, recorder.Requests.Count);
        Assert.All(recorder.Requests, r => Assert.Equal(expectNegative, r.HasNegative));
    }

    [Fact]
    public void Expert_switches_once_at_the_boundary_for_the_official_50_steps()
    {
        var schedule = new FlowMatchPairSchedule(Model.Configs.FlowMatchSchedulerConfig.Mova, 50);
        var experts = ExpertSchedule.For(schedule.Timesteps, 0.9, 1000);
        Assert.Equal(18, experts.Count(e => e == VideoExpert.HighNoise));
        Assert.All(experts.Skip(18), e => Assert.Equal(VideoExpert.LowNoise, e));
        Assert.Equal(1000f, schedule.Timesteps[0]);
        Assert.Equal(105.035f, schedule.Timesteps[49], 3);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
