using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Caching;

/// <summary>
/// A cached job resumed from a saved state (the cache rebuilt from its anchor latents) gives the same bytes, the same
/// decisions and the same totals as the uninterrupted cached run.
/// </summary>
public sealed class CacheResumeTests(CachingScenario scenario) : IClassFixture<CachingScenario>, IDisposable
{
    private const int Steps = 10;

    private static readonly TeaCacheCoefficients Linear = new(new Dictionary<VideoExpert, TeaCachePolynomial>
    {
        [VideoExpert.HighNoise] = new([1.0, 0.0], 0.001, 1.0),
        [VideoExpert.LowNoise] = new([1.0, 0.0], 0.001, 1.0),
    });

    private readonly string _temp = Directory.CreateTempSubdirectory("mova-cache-resume-").FullName;

    // Both levels, tight enough that the run mixes full, block-reused and step-reused passes.
    private static CacheSettings Settings { get; } = CachingScenario.Blocks with { Name = "resume", StepThreshold = 0.25, WarmupSteps = 1, MaxConsecutiveReuses = 4 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(9)]
    public void Resuming_a_saved_state_gives_the_uninterrupted_bytes_decisions_and_totals(int resumeAt)
    {
        var executor = new LocalStepExecutor(scenario.Denoiser, Linear);
        var options = CachingScenario.Options(Steps, cache: Settings);
        var path = Path.Combine(_temp, $"state-{resumeAt}.safetensors");
        using var uninterrupted = MovaSampler.Run(executor, scenario.Request, options, onStep: p =>
        {
            if (p.StepIndex == resumeAt - 1)
            {
                using var state = p.ToState();
                state.Save(path);
            }
        });
        var outcomes = uninterrupted.Cache!.Steps.SelectMany(s => s.Passes).Select(p => p.Outcome).ToHashSet();
        Assert.Equal(3, outcomes.Count);

        using var loaded = SamplerState.Load(path, torch.CPU);
        Assert.NotNull(loaded.Cache);
        Assert.Equal(Settings, loaded.Cache.Settings);
        Assert.InRange(loaded.Cache.Anchors.Count, 0, 2);
        using var resumed = MovaSampler.Run(new LocalStepExecutor(scenario.Denoiser, Linear), scenario.Request, options, loaded);

        TensorAssert.Equal(resumed.VideoLatents, uninterrupted.VideoLatents, "video");
        TensorAssert.Equal(resumed.AudioLatents, uninterrupted.AudioLatents, "audio");
        Assert.Equal(uninterrupted.Cache.Steps.Skip(resumeAt), resumed.Cache!.Steps);
        Assert.Equal(uninterrupted.Cache.Totals, resumed.Cache.Totals);
    }

    [Fact]
    public void A_state_handed_over_at_the_expert_boundary_needs_no_rebuild_and_finishes_identically()
    {
        var options = CachingScenario.Options(Steps, cache: Settings);
        var boundary = MovaSampler.FirstLowNoiseStep(options);
        var executor = new LocalStepExecutor(scenario.Denoiser, Linear);
        using var uninterrupted = MovaSampler.Run(executor, scenario.Request, options);

        using var handOver = MovaSampler.RunUntil(executor, scenario.Request, options, boundary);
        var counting = new CountingExecutor(new LocalStepExecutor(scenario.Denoiser, Linear));
        using var finished = MovaSampler.Run(counting, scenario.Request, options, handOver);

        Assert.Equal(Steps - boundary, counting.Steps);
        Assert.Equal(0, counting.SinglePasses);
        TensorAssert.Equal(finished.VideoLatents, uninterrupted.VideoLatents, "video");
        Assert.Equal(uninterrupted.Cache!.Totals, finished.Cache!.Totals);
    }

    [Fact]
    public void A_resume_rebuilds_with_one_pass_per_branch_and_anchor()
    {
        var options = CachingScenario.Options(Steps, cache: Settings);
        SamplerState? state = null;
        using (MovaSampler.Run(new LocalStepExecutor(scenario.Denoiser, Linear), scenario.Request, options, onStep: p =>
        {
            if (p.StepIndex == 7)
            {
                state = p.ToState();
            }
        }))
        {
        }

        using (state)
        {
            var anchors = state!.Cache!.Branches.Where(b => b.Expert == VideoExpert.LowNoise && b.AnchorStep >= 0).ToList();
            Assert.NotEmpty(anchors);
            var counting = new CountingExecutor(new LocalStepExecutor(scenario.Denoiser, Linear));
            using var resumed = MovaSampler.Run(counting, scenario.Request, options, state);
            Assert.Equal(anchors.Count, counting.SinglePasses);
            Assert.True(state.Cache.TensorBytes <= 2 * (scenario.Request.VideoNoise.numel() + scenario.Request.AudioNoise.numel()) * 4 + 4096);
        }
    }

    [Fact]
    public void Mismatched_resumes_are_refused()
    {
        var options = CachingScenario.Options(Steps, cache: Settings);
        var executor = new LocalStepExecutor(scenario.Denoiser, Linear);
        using var cachedState = MovaSampler.RunUntil(executor, scenario.Request, options, 3);
        using var plainState = MovaSampler.RunUntil(executor, scenario.Request, options with { Cache = null }, 3);
        Assert.Null(plainState.Cache);

        var other = Assert.Throws<ArgumentException>(() => MovaSampler.Run(executor, scenario.Request, options with { Cache = Settings with { BlockThreshold = 0.4 } }, cachedState));
        Assert.Contains("settings", other.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MovaSampler.Run(executor, scenario.Request, options with { Cache = null }, cachedState));
        Assert.Throws<ArgumentException>(() => MovaSampler.Run(executor, scenario.Request, options, plainState));
        var otherPolynomial = new LocalStepExecutor(scenario.Denoiser, new TeaCacheCoefficients(new Dictionary<VideoExpert, TeaCachePolynomial>
        {
            [VideoExpert.HighNoise] = new([2.0, 0.0], 0.001, 1.0),
            [VideoExpert.LowNoise] = new([1.0, 0.0], 0.001, 1.0),
        }));
        Assert.Contains("TeaCache", Assert.Throws<ArgumentException>(() => MovaSampler.Run(otherPolynomial, scenario.Request, options, cachedState)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private sealed class CountingExecutor(LocalStepExecutor inner) : ICachingStepExecutor
    {
        public int Steps { get; private set; }

        public int SinglePasses { get; private set; }

        public TeaCacheCoefficients? TeaCache => inner.TeaCache;

        public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
        {
            Steps++;
            return inner.Evaluate(request, cancellationToken);
        }

        public Velocity EvaluatePass(StepRequest request, CfgBranch branch, CancellationToken cancellationToken)
        {
            SinglePasses++;
            return inner.EvaluatePass(request, branch, cancellationToken);
        }
    }
}
