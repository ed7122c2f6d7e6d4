using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Lora;
using MovaCluster.Execution.Mova;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Text;
using MovaCluster.Planning;

namespace MovaCluster.Execution.Planned;

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
    ILogger<PlannedMovaExecutorFactory> logger,
    IOptions<CachingOptions>? caching = null,
    LoraResidency? residency = null) : IGenerationExecutorFactory
{
    public IGenerationExecutor Create(DeviceContext device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var settings = execution.Value.Mova;
        var plan = ExecutionPlan.Parse(planned.Value.Plan);
        var group = planned.Value.GroupOf(device.Name) ?? [device.Name];
        var model = MovaModelSource.Resolve(settings);
        LogPlannedReplica(device.Name, plan.Name, string.Join(", ", group), model.Folder);

        var cache = new TextEmbeddingCache(cacheOptions);
        try
        {
            var replica = PlanReplicaFactory.CreateAsync(plan, group, new PlanReplicaOptions { CheckpointFolder = model.Folder, Policy = model.Policy })
                .GetAwaiter().GetResult();
            var pipeline = MovaPipeline.Load(
                model.Paths, model.Policy, device.Device, cache, replica.StepExecutor, new ReplicaOwner(replica), settings.MaxPromptTokens);
            var description = model.Describe([.. replica.Workers.Select(w => $"{w.Device.Name}: {w.Role}")]);
            PlannedLoraApplier loras;
            try
            {
                loras = PlannedLoraApplier.Create(replica, model.Folder, execution.Value.Lora, residency, device.Name);
            }
            catch
            {
                pipeline.Dispose();
                throw;
            }

            return new MovaGenerationExecutor(pipeline, new ReferenceImageLoader(imageOptions), description, cache, caching?.Value.ToTiers(), loras);
        }
        catch
        {
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
