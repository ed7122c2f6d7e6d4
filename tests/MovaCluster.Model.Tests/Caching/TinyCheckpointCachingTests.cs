using Microsoft.Extensions.Options;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Text;
using MovaCluster.Model.Tiny;
using TorchSharp;

namespace MovaCluster.Model.Tests.Caching;

/// <summary>
/// The cache end to end on the tiny random checkpoint (src/MovaCluster.Model/Tiny): exact with thresholds of 0, and a
/// TeaCache calibration from a plan file that writes teacache.json next to the checkpoint, which the next pipeline
/// load picks up for step-level caching.
/// </summary>
public sealed class TinyCheckpointCachingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mova-cache-tiny-").FullName;
    private readonly string _checkpoint;

    public TinyCheckpointCachingTests()
    {
        _checkpoint = Path.Combine(_root, "MOVA-tiny");
        TinyMovaCheckpoint.Write(_checkpoint, seed: 7);
    }

    [Fact]
    public void Thresholds_of_zero_give_the_uncached_frames_and_samples()
    {
        using var cache = new TextEmbeddingCache(Options.Create(new TextEmbeddingCacheOptions()));
        using var pipeline = MovaPipeline.Load(MovaComponentPaths.ForCheckpoint(_checkpoint), DTypePolicy.Float32, torch.CPU, cache, maxSequenceLength: 16);
        using var image = torch.rand([1, 3, 32, 32], generator: new torch.Generator(3)) * 2 - 1;
        Assert.True(pipeline.SupportsCache);
        Assert.Null(pipeline.TeaCache);

        var today = pipeline.Generate(Request("A violin plays in the rain.", image, steps: 5));
        // The tiny stack has 2 layers: F1 B0 leaves layer 1 as a cached span, so every part of the cache runs.
        var zero = new CacheSettings { Name = "zero", StepThreshold = 0, BlockThreshold = 0, FirstLayers = 1, LastLayers = 0, WarmupSteps = 0, FinalSteps = 0 };
        var cached = pipeline.Generate(Request("A violin plays in the rain.", image, steps: 5) with { Cache = zero });

        Assert.Null(today.Cache);
        Assert.Equal(10, cached.Cache!.Totals.PassesComputed);
        Assert.True(today.Video.Frames.Zip(cached.Video.Frames).All(p => p.First.AsSpan().SequenceEqual(p.Second)), "frames differ");
        Assert.Equal(today.Audio, cached.Audio);
    }

    [Fact]
    public void Calibration_from_a_plan_file_writes_teacache_json_which_the_next_load_uses()
    {
        var planPath = Path.Combine(_root, "calibration.json");
        File.WriteAllText(planPath, """
            {
              // Two prompts, two sizes, two step counts.
              "runs": [
                { "prompt": "A drummer on a rooftop at dusk.", "width": 32, "height": 32, "frames": 9, "steps": 8, "seed": 1 },
                { "prompt": "Waves crash on a rocky shore.", "width": 48, "height": 32, "frames": 5, "steps": 10, "seed": 2, "cfg_scale": 4.0 },
              ],
            }
            """);
        var plan = TeaCacheCalibrationPlan.Load(planPath);
        Assert.Equal(2, plan.Runs.Count);
        Assert.Equal(TeaCacheFitter.DefaultDegree, plan.Degree);

        using var cache = new TextEmbeddingCache(Options.Create(new TextEmbeddingCacheOptions()));
        var log = new List<string>();
        using (var pipeline = MovaPipeline.Load(MovaComponentPaths.ForCheckpoint(_checkpoint), DTypePolicy.Float32, torch.CPU, cache, maxSequenceLength: 16))
        {
            var fitted = TeaCacheCalibrator.Calibrate(pipeline, plan, _checkpoint, log: log.Add);
            Assert.Equal(2, fitted.Experts.Count);
            Assert.Equal(2, fitted.Calibration!.Runs);
            Assert.All(fitted.Experts.Values, p => Assert.True(p.Samples >= 4, $"{p.Samples} samples"));
        }

        Assert.Equal(3, log.Count);
        Assert.True(File.Exists(Path.Combine(_checkpoint, TeaCacheCoefficients.FileName)));

        using var reloaded = MovaPipeline.Load(MovaComponentPaths.ForCheckpoint(_checkpoint), DTypePolicy.Float32, torch.CPU, cache, maxSequenceLength: 16);
        Assert.NotNull(reloaded.TeaCache);
        using var image = torch.zeros([1, 3, 32, 32]);
        var steps = new CacheSettings { Name = "steps", StepThreshold = 10, BlockThreshold = null, WarmupSteps = 1, FinalSteps = 1, MaxConsecutiveReuses = 2 };
        var result = reloaded.Generate(Request("A drummer on a rooftop at dusk.", image, steps: 10) with { Cache = steps });

        Assert.Empty(result.Cache!.StepLevelUnavailable);
        Assert.Contains(result.Cache.Steps, s => s.Positive.Outcome == CachePassOutcome.StepReused);
        Assert.Contains(result.Cache.Steps, s => s.Expert == VideoExpert.LowNoise && s.Positive.Outcome == CachePassOutcome.StepReused);
    }

    [Fact]
    public void A_calibration_plan_with_problems_lists_them()
    {
        var planPath = Path.Combine(_root, "bad.json");
        File.WriteAllText(planPath, """{ "runs": [ { "prompt": " ", "width": 32, "height": 32, "steps": 2 } ], "degree": 0 }""");
        var failure = Assert.Throws<InvalidDataException>(() => TeaCacheCalibrationPlan.Load(planPath));
        Assert.Contains("prompt is empty", failure.Message, StringComparison.Ordinal);
        Assert.Contains("steps must be at least 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("degree", failure.Message, StringComparison.Ordinal);

        File.WriteAllText(planPath, """{ "runs": [ { "prompt": "x", "width": 32, "height": 32, "sizes": 3 } ] }""");
        Assert.Contains("sizes", Assert.Throws<InvalidDataException>(() => TeaCacheCalibrationPlan.Load(planPath)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static MovaGenerationRequest Request(string prompt, torch.Tensor image, int steps) => new()
    {
        Prompt = prompt,
        NegativePrompt = "blurry",
        ReferenceImage = image,
        Height = 32,
        Width = 32,
        NumFrames = 9,
        Fps = 24,
        NumInferenceSteps = steps,
        CfgScale = 5.0,
        Seed = 42,
    };
}
