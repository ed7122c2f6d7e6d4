using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Lora;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Text;

namespace MovaCluster.Execution.Mova;

/// <summary>
/// Loads MOVA onto a device on its worker thread: the configured checkpoint folder, or (none configured) the tiny
/// random-weights MOVA generated into a cache folder, through the same loaders either way.
/// </summary>
public sealed partial class MovaExecutorFactory(
    IOptions<ExecutionOptions> options,
    IOptions<TextEmbeddingCacheOptions> cacheOptions,
    IOptions<ReferenceImageOptions> imageOptions,
    ILogger<MovaExecutorFactory> logger,
    IOptions<CachingOptions>? caching = null,
    LoraResidency? residency = null) : IGenerationExecutorFactory
{
    /// <summary>Name the tiny model's workers report; it says the output is noise, as jobs and logs should.</summary>
    public const string TinyModelName = MovaModelSource.TinyModelName;

    public IGenerationExecutor Create(DeviceContext device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var settings = options.Value.Mova;
        var model = MovaModelSource.Resolve(settings);
        if (model.IsTiny)
        {
            LogTinyModel(device.Name, model.Folder);
        }
        else
        {
            LogCheckpoint(device.Name, model.Folder, settings.WeightDType);
        }

        var cache = new TextEmbeddingCache(cacheOptions);
        try
        {
            var denoiser = MovaDenoiserLoader.Load(model.Paths.DenoiserRoot, model.Policy, device.Device);
            TeaCacheCoefficients? teaCache;
            try
            {
                teaCache = TeaCacheCoefficients.TryLoad(model.Paths.DenoiserRoot);
            }
            catch
            {
                denoiser.Dispose();
                throw;
            }

            var pipeline = MovaPipeline.Load(model.Paths, model.Policy, device.Device, cache, new LocalStepExecutor(denoiser, teaCache), denoiser, settings.MaxPromptTokens);
            DenoiserLoraApplier loras;
            try
            {
                loras = new DenoiserLoraApplier(denoiser, options.Value.Lora, residency, device.Name);
            }
            catch
            {
                pipeline.Dispose();
                throw;
            }

            return new MovaGenerationExecutor(pipeline, new ReferenceImageLoader(imageOptions), model.Describe(), cache, caching?.Value.ToTiers(), loras);
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning,
        Message = "Device {Device}: no MOVA checkpoint configured (Mova:Execution:Mova:CheckpointPath); loading the tiny random-weights MOVA from {Folder}. Its output is noise.")]
    private partial void LogTinyModel(string device, string folder);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Device {Device}: loading MOVA from {Folder} ({DType} weights)")]
    private partial void LogCheckpoint(string device, string folder, string dtype);
}
