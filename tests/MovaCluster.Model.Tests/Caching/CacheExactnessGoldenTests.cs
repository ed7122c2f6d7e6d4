using MovaCluster.Model.Caching;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Sampling;
using MovaCluster.Model.Tests.Support;

namespace MovaCluster.Model.Tests.Caching;

/// <summary>
/// With the cache off, or on with thresholds of 0, every official sampling loop of the golden set gives bit-identical
/// latents to today's uncached path (the layer spans, residuals and change measures run but decide nothing).
/// </summary>
public sealed class CacheExactnessGoldenTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    public static TheoryData<string, string> LoopCasesAndSettings()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in SamplingLoopGoldenTests.LoopCases())
        {
            foreach (var settings in ZeroThresholdSettings().Keys)
            {
                data.Add(name, settings);
            }
        }

        return data;
    }

    [Fact]
    public void The_golden_set_has_loop_cases_to_check() => Assert.NotEmpty(LoopCasesAndSettings());

    [Theory]
    [MemberData(nameof(LoopCasesAndSettings))]
    public void Thresholds_of_zero_give_the_uncached_bytes(string caseName, string settingsName)
    {
        using var golden = new GoldenCase(caseName);
        var (request, options, _) = SamplingLoopCase.Build(golden);
        using var condition = request.Condition;
        var settings = ZeroThresholdSettings()[settingsName];
        var executor = new LocalStepExecutor(fixture.Denoiser);

        using var today = MovaSampler.Run(executor, request, options);
        using var cached = MovaSampler.Run(executor, request, options with { Cache = settings });

        TensorAssert.Equal(cached.VideoLatents, today.VideoLatents, $"{caseName}/{settingsName} video");
        TensorAssert.Equal(cached.AudioLatents, today.AudioLatents, $"{caseName}/{settingsName} audio");
        var report = cached.Cache!;
        Assert.Equal(options.NumInferenceSteps, report.Steps.Count);
        Assert.All(report.Steps.SelectMany(s => s.Passes), p =>
        {
            Assert.Equal(CachePassOutcome.Computed, p.Outcome);
            Assert.Equal(fixture.Denoiser.LayerCount, p.LayersComputed);
        });
        Assert.Equal(0, report.Totals.SkippedLayerFraction);
    }

    [Theory]
    [MemberData(nameof(SamplingLoopGoldenTests.LoopCases), MemberType = typeof(SamplingLoopGoldenTests))]
    public void The_off_policy_resolves_to_no_cache_and_the_uncached_path(string caseName)
    {
        using var golden = new GoldenCase(caseName);
        var (request, options, _) = SamplingLoopCase.Build(golden);
        using var condition = request.Condition;
        var settings = CachePolicy.Tier("OFF").Resolve(CacheTiers.Default);
        Assert.Null(settings);

        using var today = MovaSampler.Run(new LocalStepExecutor(fixture.Denoiser), request, options);
        using var off = MovaSampler.Run(new LocalStepExecutor(fixture.Denoiser), request, options with { Cache = settings });
        TensorAssert.Equal(off.VideoLatents, today.VideoLatents, "video");
        TensorAssert.Equal(off.AudioLatents, today.AudioLatents, "audio");
        Assert.Null(off.Cache);
    }

    // Every layout the golden stack (3 video layers, 2 with audio) allows, each level alone and both together.
    private static Dictionary<string, CacheSettings> ZeroThresholdSettings() => new()
    {
        ["exact"] = CacheSettings.Exact,
        ["blocks-F1B0"] = new() { Name = "z", BlockThreshold = 0, FirstLayers = 1, LastLayers = 0, WarmupSteps = 0, FinalSteps = 0, MaxConsecutiveReuses = null },
        ["blocks-F2B0"] = new() { Name = "z", BlockThreshold = 0, FirstLayers = 2, LastLayers = 0, WarmupSteps = 0, FinalSteps = 0 },
        ["steps-only"] = new() { Name = "z", StepThreshold = 0, BlockThreshold = null, WarmupSteps = 0, FinalSteps = 0 },
        ["fast-at-zero"] = CacheTiers.Fast with { BlockThreshold = 0 },
        ["faster-at-zero"] = CacheTiers.Faster with { StepThreshold = 0, BlockThreshold = 0 },
    };
}
