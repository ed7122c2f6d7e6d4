using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Text;

namespace MovaCluster.Execution.Mova;

/// <summary>
/// The operator's TeaCache calibration, run by the silo executable as
/// <c>MovaCluster.Silo calibrate-teacache --plan plan.json [--device cuda:0]</c> with the worker's own configuration:
/// loads the checkpoint the workers serve (<c>Mova:Execution:Mova</c>, the tiny model when none is configured) on the
/// device (default: the first configured one), runs the plan's prompts and sizes uncached, fits the polynomials and
/// writes <c>teacache.json</c> next to the checkpoint's denoiser, where every worker loading it picks it up.
/// </summary>
public static class TeaCacheCalibrationCommand
{
    public const string Name = "calibrate-teacache";

    /// <summary>Runs the command; returns the process exit code (0 written, 2 bad arguments or plan).</summary>
    public static int Run(IReadOnlyList<string> args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        string? planPath = null;
        string? deviceName = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--plan" when i + 1 < args.Count:
                    planPath = args[++i];
                    break;
                case "--device" when i + 1 < args.Count:
                    deviceName = args[++i];
                    break;
                default:
                    error.WriteLine($"{Name}: unexpected argument '{args[i]}'. Usage: {Name} --plan plan.json [--device cuda:0]");
                    return 2;
            }
        }

        if (planPath is null)
        {
            error.WriteLine($"{Name}: --plan is required. Usage: {Name} --plan plan.json [--device cuda:0]");
            return 2;
        }

        TeaCacheCalibrationPlan plan;
        try
        {
            plan = TeaCacheCalibrationPlan.Load(planPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{Name}: {e.Message}");
            return 2;
        }

        var execution = configuration.GetSection(ExecutionOptions.SectionName).Get<ExecutionOptions>() ?? new ExecutionOptions();
        var textCache = configuration.GetSection(TextEmbeddingCacheOptions.SectionName).Get<TextEmbeddingCacheOptions>() ?? new TextEmbeddingCacheOptions();
        var images = configuration.GetSection(ReferenceImageOptions.SectionName).Get<ReferenceImageOptions>() ?? new ReferenceImageOptions();
        var model = MovaModelSource.Resolve(execution.Mova);
        var device = DeviceContext.Parse(deviceName ?? execution.EffectiveDevices[0]);
        output.WriteLine($"{Name}: {plan.Runs.Count} uncached runs of {model.ModelName} ({model.Folder}) on {device.Name}");
        using var cache = new TextEmbeddingCache(Options.Create(textCache));
        using var pipeline = MovaPipeline.Load(model.Paths, model.Policy, device.Device, cache, execution.Mova.MaxPromptTokens);
        var coefficients = TeaCacheCalibrator.Calibrate(
            pipeline, plan, model.Paths.DenoiserRoot, new ReferenceImageLoader(Options.Create(images)), output.WriteLine);
        foreach (var (expert, polynomial) in coefficients.Experts)
        {
            output.WriteLine(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{expert}: coefficients [{string.Join(", ", polynomial.Coefficients.Select(c => c.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}], signal {polynomial.SignalMin:G4}-{polynomial.SignalMax:G4}, {polynomial.Samples} samples, rms error {polynomial.RmsError:G3}"));
        }

        return 0;
    }
}
