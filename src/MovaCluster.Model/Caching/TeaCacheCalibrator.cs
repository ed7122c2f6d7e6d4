using MovaCluster.Model.Imaging;
using MovaCluster.Model.Pipeline;
using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>
/// Fits a checkpoint's TeaCache polynomials: runs a <see cref="TeaCacheCalibrationPlan"/> uncached on the pipeline that
/// serves the checkpoint while recording (time-modulation change, stack-residual change) per pass, fits them with
/// <see cref="TeaCacheFitter"/> and writes <c>teacache.json</c> into the checkpoint folder, where
/// <see cref="MovaPipeline.Load(MovaComponentPaths, Checkpoints.DTypePolicy, torch.Device, Text.TextEmbeddingCache, int, Text.ByteFallbackMode)"/>
/// picks it up.
/// </summary>
public static class TeaCacheCalibrator
{
    public static TeaCacheCoefficients Calibrate(
        MovaPipeline pipeline,
        TeaCacheCalibrationPlan plan,
        string checkpointFolder,
        ReferenceImageLoader? images = null,
        Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrEmpty(checkpointFolder);
        var errors = plan.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid calibration plan: {string.Join(" ", errors)}", nameof(plan));
        }

        if (plan.Runs.Any(r => r.Image is not null) && images is null)
        {
            throw new ArgumentException("The plan names reference images but no image loader was given.", nameof(images));
        }

        var recorder = new CacheCalibrationRecorder();
        for (var i = 0; i < plan.Runs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var run = plan.Runs[i];
            using var scope = torch.NewDisposeScope();
            var image = run.Image is { } file
                ? images!.Load(File.ReadAllBytes(Path.Combine(plan.BaseFolder, file)), run.Width, run.Height, pipeline.Device)
                : torch.zeros([1, 3, run.Height, run.Width], device: pipeline.Device);
            var request = new MovaGenerationRequest
            {
                Prompt = run.Prompt,
                NegativePrompt = run.NegativePrompt ?? MovaGenerationRequest.DefaultNegativePrompt,
                ReferenceImage = image,
                Width = run.Width,
                Height = run.Height,
                NumFrames = run.Frames,
                Fps = run.Fps,
                NumInferenceSteps = run.Steps,
                CfgScale = run.CfgScale,
                Seed = run.Seed,
            };
            var before = recorder.Samples.Count;
            pipeline.Generate(request, new MovaGenerationHooks { CacheCalibration = recorder }, cancellationToken);
            log?.Invoke($"calibration run {i + 1}/{plan.Runs.Count}: {run.Width}x{run.Height}x{run.Frames}, {run.Steps} steps, {recorder.Samples.Count - before} samples");
        }

        var samples = recorder.Samples;
        var sizes = string.Join(", ", plan.Runs.Select(r => $"{r.Width}x{r.Height}x{r.Frames}@{r.Steps}").Distinct());
        var coefficients = TeaCacheFitter.Fit(
            samples,
            plan.Degree,
            new TeaCacheCalibrationInfo(plan.Runs.Count, samples.Count, DateTimeOffset.UtcNow, $"{plan.Runs.Count} uncached runs ({sizes})"));
        var path = coefficients.Save(checkpointFolder);
        log?.Invoke($"wrote {path}");
        return coefficients;
    }
}
