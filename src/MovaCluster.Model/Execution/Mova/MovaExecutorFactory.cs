using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Text;
using MovaCluster.Model.Tiny;

namespace MovaCluster.Model.Execution.Mova;

/// <summary>
/// Loads MOVA onto a device on its worker thread: the configured checkpoint folder, or (none configured) the tiny
/// random-weights MOVA generated into a cache folder, through the same loaders either way.
/// </summary>
public sealed partial class MovaExecutorFactory(
    IOptions<ExecutionOptions> options,
    IOptions<TextEmbeddingCacheOptions> cacheOptions,
    IOptions<ReferenceImageOptions> imageOptions,
    ILogger<MovaExecutorFactory> logger) : IGenerationExecutorFactory
{
    /// <summary>Name the tiny model's workers report; it says the output is noise, as jobs and logs should.</summary>
    public const string TinyModelName = "mova-tiny (random weights; output is noise)";

    private const long TinyMaxVolume = 256L * 256 * 49;
    private const long CheckpointMaxVolume = 1280L * 720 * 193;

    public IGenerationExecutor Create(DeviceContext device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var settings = options.Value.Mova;
        var tiny = settings.CheckpointPath.Length == 0;
        var folder = tiny ? TinyMovaCheckpoint.EnsureWritten(settings.TinyModelCache) : Path.GetFullPath(settings.CheckpointPath);
        var name = settings.ModelName.Length > 0 ? settings.ModelName : tiny ? TinyModelName : Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        if (tiny)
        {
            LogTinyModel(device.Name, folder);
        }
        else
        {
            LogCheckpoint(device.Name, folder, settings.WeightDType);
        }

        var policy = settings.WeightDType == "bfloat16" ? DTypePolicy.BFloat16 : DTypePolicy.Float32;
        var cache = new TextEmbeddingCache(cacheOptions);
        try
        {
            var pipeline = MovaPipeline.Load(MovaComponentPaths.ForCheckpoint(folder), policy, device.Device, cache, settings.MaxPromptTokens);
            var description = new ExecutorDescription
            {
                ModelName = name,
                OutputIsNoise = tiny,
                MaxVolume = settings.MaxVolume > 0 ? settings.MaxVolume : tiny ? TinyMaxVolume : CheckpointMaxVolume,
                MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            };
            return new MovaGenerationExecutor(pipeline, new ReferenceImageLoader(imageOptions), description, cache);
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
