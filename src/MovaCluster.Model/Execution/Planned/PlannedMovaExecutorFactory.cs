using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Codecs.Video;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Execution.Mova;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Parallel;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Text;
using MovaCluster.Model.Tiny;
using MovaCluster.Planning;

namespace MovaCluster.Model.Execution.Planned;

/// <summary>
/// Builds a MOVA executor whose denoiser runs on a replica of the configured plan: the worker's device gets the
/// text encoder, the video VAE and the DAC; a <see cref="PlanReplica"/> over the worker's device group holds the
/// experts, audio tower and bridge as the plan lays them out (each share built on its own device thread), and the
/// sampler's steps go through the replica. Jobs reach it through the unchanged worker grain, which sees one device.
/// </summary>
public sealed partial class PlannedMovaExecutorFactory(
    IOptions<ExecutionOptions> execution,
    IOptions<PlannedExecutionOptions> planned,
    IOptions<TextEmbeddingCacheOptions> cacheOptions,
    IOptions<ReferenceImageOptions> imageOptions,
    ILogger<PlannedMovaExecutorFactory> logger) : IGenerationExecutorFactory
{
    private const long TinyMaxVolume = 256L * 256 * 49;
    private const long CheckpointMaxVolume = 1280L * 720 * 193;

    public IGenerationExecutor Create(DeviceContext device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var settings = execution.Value.Mova;
        var plan = ExecutionPlan.Parse(planned.Value.Plan);
        var group = planned.Value.GroupOf(device.Name) ?? [device.Name];
        var tiny = settings.CheckpointPath.Length == 0;
        var folder = tiny ? TinyMovaCheckpoint.EnsureWritten(settings.TinyModelCache) : Path.GetFullPath(settings.CheckpointPath);
        var name = settings.ModelName.Length > 0 ? settings.ModelName
            : tiny ? MovaExecutorFactory.TinyModelName
            : Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var policy = settings.WeightDType == "bfloat16" ? DTypePolicy.BFloat16 : DTypePolicy.Float32;
        LogPlannedReplica(device.Name, plan.Name, string.Join(", ", group), folder);

        var owned = new List<IDisposable>();
        var cache = new TextEmbeddingCache(cacheOptions);
        try
        {
            var replica = PlanReplicaFactory.CreateAsync(plan, group, new PlanReplicaOptions { CheckpointFolder = folder, Policy = policy }).GetAwaiter().GetResult();
            owned.Add(new ReplicaOwner(replica));
            var paths = MovaComponentPaths.ForCheckpoint(folder);
            var textEncoder = Umt5EncoderModel.FromFolder(paths.TextEncoder, device.Device, policy.WeightDType);
            owned.Add(textEncoder);
            var videoVae = WanVideoVae.FromFolder(paths.VideoVae, device.Device, policy.WeightDType);
            owned.Add(videoVae);
            var audioDecoder = DacAudioDecoder.FromFolder(paths.AudioVae, device.Device);
            owned.Add(audioDecoder);
            var tokenizer = Umt5PromptTokenizer.FromFolder(paths.Tokenizer, ByteFallbackMode.FromTokenizerFiles);
            var scheduler = paths.SchedulerConfig is not null && File.Exists(paths.SchedulerConfig)
                ? ConfigJson.Load<FlowMatchSchedulerConfig>(paths.SchedulerConfig)
                : FlowMatchSchedulerConfig.Mova;
            var boundary = paths.ModelIndex is not null && File.Exists(paths.ModelIndex)
                ? ConfigJson.Load<MovaPipelineConfig>(paths.ModelIndex).BoundaryRatio
                : 0.9;
            var promptEncoder = new PromptEncoder(tokenizer, textEncoder, cache, Path.GetFullPath(paths.TextEncoder), settings.MaxPromptTokens);
            var pipeline = new MovaPipeline(promptEncoder, videoVae, audioDecoder, replica.StepExecutor, scheduler, boundary, device.Device, [.. owned]);
            var description = new ExecutorDescription
            {
                ModelName = name,
                OutputIsNoise = tiny,
                MaxVolume = settings.MaxVolume > 0 ? settings.MaxVolume : tiny ? TinyMaxVolume : CheckpointMaxVolume,
                MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
                Shards = [.. replica.Workers.Select(w => $"{w.Device.Name}: {w.Role}")],
            };
            return new MovaGenerationExecutor(pipeline, new ReferenceImageLoader(imageOptions), description, cache);
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            cache.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Device {Device}: MOVA on plan {Plan} over devices {Group}, from {Folder}")]
    private partial void LogPlannedReplica(string device, string plan, string group, string folder);

    // The pipeline disposes what it owns synchronously on the worker thread; the replica's device threads stop here.
    private sealed class ReplicaOwner(PlanReplica replica) : IDisposable
    {
        public void Dispose() => replica.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
