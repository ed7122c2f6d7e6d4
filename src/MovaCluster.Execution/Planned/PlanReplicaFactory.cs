using System.Globalization;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Planning;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// Builds one running replica of an <see cref="ExecutionPlan"/> on a list of devices: a worker per device, each
/// building and owning its own share of the model on its own thread, wired as the plan says: layer-range
/// pipelines (<c>pipelineN</c>), expert-stage groups with a hand-over at the boundary (<c>experts</c>) and
/// CFG-parallel pairs (<c>cfg</c>), in any combination; <c>replica</c> is the single-device case.
/// </summary>
public static class PlanReplicaFactory
{
    public static async Task<PlanReplica> CreateAsync(ExecutionPlan plan, IReadOnlyList<string> devices, PlanReplicaOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(options);
        if (devices.Count != plan.GpusPerReplica)
        {
            throw new ArgumentException($"Plan '{plan}' needs {plan.GpusPerReplica} devices per replica; {devices.Count} were given ({string.Join(", ", devices)}).", nameof(devices));
        }

        var contexts = devices.Select(DeviceContext.Parse).ToList();
        var ranges = options.StageLayers ?? EvenRanges(options, plan.PipelineStages);
        Validate(ranges, plan, LayerCount(options.CheckpointFolder));

        VideoExpert[][] groups = plan.SplitExperts ? [[VideoExpert.HighNoise], [VideoExpert.LowNoise]] : [[VideoExpert.HighNoise, VideoExpert.LowNoise]];
        var copies = plan.CfgParallel ? 2 : 1;
        var pipelines = new List<LayerPipeline>();
        foreach (var (experts, group) in groups.Select((e, g) => (e, g)))
        {
            for (var copy = 0; copy < copies; copy++)
            {
                var pipeline = (group * copies) + copy;
                var stages = new List<DeviceThread<StageHost>>();
                for (var stage = 0; stage < ranges.Count; stage++)
                {
                    var range = ranges[stage];
                    var withStem = stage == 0;
                    var role = Role(plan, experts, copy, stage, ranges.Count, range);
                    stages.Add(new DeviceThread<StageHost>(
                        contexts[(pipeline * ranges.Count) + stage],
                        role,
                        device => StageHost.Load(options.CheckpointFolder, options.Policy, device.Device, experts, range, withStem)));
                }

                pipelines.Add(new LayerPipeline(experts, stages));
            }
        }

        try
        {
            await Task.WhenAll(pipelines.SelectMany(p => p.Stages).Select(w => w.Ready)).ConfigureAwait(false);
        }
        catch
        {
            foreach (var pipeline in pipelines)
            {
                await pipeline.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        IStepExecutor GroupExecutor(int group) => plan.CfgParallel
            ? new CfgPairStepExecutor(pipelines[group * 2], pipelines[(group * 2) + 1])
            : new PipelineStepExecutor(pipelines[group]);
        var executor = plan.SplitExperts ? new ExpertRoutingStepExecutor(GroupExecutor(0), GroupExecutor(1)) : GroupExecutor(0);
        IPlanSampler sampler = plan.SplitExperts
            ? new ExpertStageSampler(GroupExecutor(0), GroupExecutor(1))
            : new StepExecutorSampler(executor);
        return new PlanReplica(plan, pipelines, sampler, executor);
    }

    /// <summary>Contiguous ranges of about equal parameter bytes (the stack's first layers also carry audio and bridge weights).</summary>
    public static IReadOnlyList<Range> EvenRanges(PlanReplicaOptions options, int stages)
    {
        ArgumentNullException.ThrowIfNull(options);
        var video = ConfigJson.Load<WanModelConfig>(Path.Combine(options.CheckpointFolder, "video_dit"));
        var audio = ConfigJson.Load<WanAudioModelConfig>(Path.Combine(options.CheckpointFolder, "audio_dit"));
        var bridge = ConfigJson.Load<BridgeConfig>(Path.Combine(options.CheckpointFolder, "dual_tower_bridge"));
        var costs = Enumerable.Range(0, video.NumLayers)
            .Select(l => (double)ShardMemoryEstimator.ParameterBytes(video, audio, bridge, l, l + 1, options.Policy))
            .ToList();
        return LayerPartitioner.Split(costs, stages);
    }

    private static int LayerCount(string folder) => ConfigJson.Load<WanModelConfig>(Path.Combine(folder, "video_dit")).NumLayers;

    private static void Validate(IReadOnlyList<Range> ranges, ExecutionPlan plan, int layers)
    {
        if (ranges.Count != plan.PipelineStages)
        {
            throw new ArgumentException($"Plan '{plan}' has {plan.PipelineStages} pipeline stages but {ranges.Count} layer ranges were given.");
        }

        var expected = 0;
        foreach (var range in ranges)
        {
            if (range.Start.IsFromEnd || range.End.IsFromEnd || range.Start.Value != expected || range.End.Value <= range.Start.Value)
            {
                throw new ArgumentException($"Layer ranges must cover [0, {layers}) contiguously; got {string.Join(", ", ranges)}.");
            }

            expected = range.End.Value;
        }

        if (expected != layers)
        {
            throw new ArgumentException($"Layer ranges end at {expected} but the stack has {layers} layers.");
        }
    }

    private static string Role(ExecutionPlan plan, VideoExpert[] experts, int copy, int stage, int stages, Range range)
    {
        var expertPart = string.Join("+", experts.Select(e => e == VideoExpert.HighNoise ? "high-noise" : "low-noise"));
        var cfgPart = plan.CfgParallel ? (copy == 0 ? " positive" : " negative") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{expertPart}{cfgPart} stage {stage + 1}/{stages} layers [{range.Start.Value}, {range.End.Value})");
    }
}
