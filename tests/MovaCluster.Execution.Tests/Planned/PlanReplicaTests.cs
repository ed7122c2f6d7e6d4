using System.Text.RegularExpressions;
using MovaCluster.Execution.Planned;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using MovaCluster.Planning;

namespace MovaCluster.Execution.Tests.Planned;

/// <summary>
/// Every execution plan, run on several cpu device workers (each building and owning its share of the model on its
/// own thread), samples exactly what the single-worker <see cref="LocalStepExecutor"/> samples, for every loop case
/// of the golden manifest; and each worker holds its own share of the parameters and nothing else.
/// </summary>
public sealed partial class PlanReplicaTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    // Pipelines of two stages and of one stage per layer of the set's stack (the tiny set: 3), alone and combined.
    private static IEnumerable<string> Plans()
    {
        var layers = GoldenSet.StackLayers;
        var depths = new[] { 2, layers }.Where(k => k > 1 && k <= layers).Distinct().ToList();
        var plans = new List<string> { "replica", "experts", "cfg", "experts+cfg" };
        plans.AddRange(depths.Select(k => $"pipeline{k}"));
        plans.AddRange(depths.Take(1).SelectMany(k => new[] { $"pipeline{k}+experts", $"pipeline{k}+cfg" }));
        return plans;
    }

    public static TheoryData<string, string> PlansAndLoopCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var loop in GoldenSet.LoopCases)
        {
            foreach (var plan in Plans())
            {
                data.Add(plan, loop);
            }
        }

        return data;
    }

    public static TheoryData<string> AllPlans()
    {
        var data = new TheoryData<string>();
        foreach (var plan in Plans())
        {
            data.Add(plan);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PlansAndLoopCases))]
    public async Task Two_concurrent_jobs_on_the_plan_equal_the_single_worker_run_bit_for_bit(string planName, string loopCase)
    {
        var plan = ExecutionPlan.Parse(planName);
        using var golden = new GoldenCase(loopCase);
        var (request, options, _) = SamplingLoopCase.Build(golden);
        using var condition = request.Condition;
        using var expected = MovaSampler.Run(new LocalStepExecutor(fixture.Denoiser), request, options);

        await using var replica = await PlanReplicaFactory.CreateAsync(plan, Devices(plan.GpusPerReplica), new PlanReplicaOptions { CheckpointFolder = GoldenSet.Root });
        var stepsSeen = new int[2];
        var jobs = Enumerable.Range(0, 2)
            .Select(j => replica.Sampler.SampleAsync(request, options, _ => Interlocked.Increment(ref stepsSeen[j])))
            .ToList();
        var results = await Task.WhenAll(jobs);
        try
        {
            foreach (var (result, job) in results.Select((r, j) => (r, j)))
            {
                TensorAssert.Equal(result.VideoLatents, expected.VideoLatents, $"{planName} job {job} video ({loopCase})");
                TensorAssert.Equal(result.AudioLatents, expected.AudioLatents, $"{planName} job {job} audio ({loopCase})");
                Assert.Equal(options.NumInferenceSteps, stepsSeen[job]);
            }
        }
        finally
        {
            foreach (var result in results)
            {
                result.Dispose();
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllPlans))]
    public async Task Each_worker_holds_only_its_share_and_each_pipeline_holds_its_experts_once(string planName)
    {
        var plan = ExecutionPlan.Parse(planName);
        await using var replica = await PlanReplicaFactory.CreateAsync(plan, Devices(plan.GpusPerReplica), new PlanReplicaOptions { CheckpointFolder = GoldenSet.Root });
        var byWorker = await replica.ParametersByWorkerAsync();
        var checkpoints = new[] { "video_dit", "video_dit_2", "audio_dit", "dual_tower_bridge" }
            .ToDictionary(c => c, c => SafetensorsCheckpoint.Open(GoldenSet.Component(c)));
        try
        {
            Assert.Equal(plan.GpusPerReplica, byWorker.Count);
            var workers = replica.Workers;
            for (var w = 0; w < workers.Count; w++)
            {
                var stage = w % plan.PipelineStages;
                var range = await workers[w].RunAsync(h => (h.Layers.Start, h.Layers.End));
                foreach (var (component, key, elements) in byWorker[w])
                {
                    Assert.Equal(checkpoints[component].GetInfo(key).ElementCount, elements);
                    var layer = LayerOf(component, key);
                    if (layer is { } l)
                    {
                        Assert.True(l >= range.Start && l < range.End, $"{workers[w].Role} holds {component}/{key}, outside its layers [{range.Start}, {range.End}).");
                    }
                    else
                    {
                        Assert.True(stage == 0, $"{workers[w].Role} holds stem parameter {component}/{key} but is not a first stage.");
                    }
                }
            }

            foreach (var pipeline in replica.Pipelines)
            {
                var held = pipeline.Stages.SelectMany(s => byWorker[IndexOf(workers, s)]).Select(p => (p.Component, p.Key)).ToList();
                Assert.Equal(held.Count, held.Distinct().Count());
                var components = pipeline.Experts.Select(MovaDenoiserLoader.ExpertFolder).Concat(["audio_dit", "dual_tower_bridge"]);
                var expected = components.SelectMany(c => checkpoints[c].Keys.Select(k => (c, k))).ToHashSet();
                Assert.True(expected.SetEquals(held), $"Pipeline {string.Join("+", pipeline.Experts)} of {planName} does not hold exactly its experts, the audio tower and the bridge.");
            }

            var perWorker = byWorker.Select(ps => ps.Sum(p => p.Elements)).ToList();
            var total = perWorker.Sum();
            var oneCopy = checkpoints.Values.Sum(c => c.Keys.Sum(k => c.GetInfo(k).ElementCount));
            var copies = plan.CfgParallel ? 2 : 1;
            // Split plans hold the audio tower and the bridge once per expert group.
            var sharedElements = Elements(checkpoints["audio_dit"]) + Elements(checkpoints["dual_tower_bridge"]);
            Assert.Equal(copies * (oneCopy + (plan.SplitExperts ? sharedElements : 0)), total);
        }
        finally
        {
            foreach (var checkpoint in checkpoints.Values)
            {
                checkpoint.Dispose();
            }
        }
    }

    public static TheoryData<string> DeepestPipelineAndExpertsWithCfg() => new() { "experts+cfg", GoldenSet.StackLayers > 1 ? $"pipeline{GoldenSet.StackLayers}" : "replica" };

    [Theory]
    [MemberData(nameof(DeepestPipelineAndExpertsWithCfg))]
    public async Task The_replicas_step_executor_drives_a_callers_own_sampling_loop_bit_for_bit(string planName)
    {
        var plan = ExecutionPlan.Parse(planName);
        using var golden = new GoldenCase(GoldenSet.LoopCase());
        var (request, options, _) = SamplingLoopCase.Build(golden);
        using var condition = request.Condition;
        using var expected = MovaSampler.Run(new LocalStepExecutor(fixture.Denoiser), request, options);
        await using var replica = await PlanReplicaFactory.CreateAsync(plan, Devices(plan.GpusPerReplica), new PlanReplicaOptions { CheckpointFolder = GoldenSet.Root });
        using var actual = MovaSampler.Run(replica.StepExecutor, request, options);
        TensorAssert.Equal(actual.VideoLatents, expected.VideoLatents, $"{planName} video");
        TensorAssert.Equal(actual.AudioLatents, expected.AudioLatents, $"{planName} audio");
    }

    [Fact]
    public async Task An_expert_stage_group_refuses_the_other_expert()
    {
        await using var replica = await PlanReplicaFactory.CreateAsync(ExecutionPlan.Parse("experts"), Devices(2), new PlanReplicaOptions { CheckpointFolder = GoldenSet.Root });
        using var golden = new GoldenCase(GoldenSet.SingleStepCase(VideoExpert.HighNoise));
        var input = golden.SingleStepInput();
        await Assert.ThrowsAsync<InvalidOperationException>(() => replica.Pipelines[0].PassAsync(VideoExpert.LowNoise, input, CancellationToken.None));
        var stem = await replica.Workers[1].RunAsync(h => (h.Stem!.Holds(VideoExpert.HighNoise), h.Stem.Holds(VideoExpert.LowNoise)));
        Assert.Equal((false, true), stem);
    }

    [Fact]
    public async Task A_plan_needs_one_device_per_gpu_of_its_replica_and_contiguous_layer_ranges()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => PlanReplicaFactory.CreateAsync(ExecutionPlan.Parse("pipeline2"), ["cpu"], new PlanReplicaOptions { CheckpointFolder = GoldenSet.Root }));
        await Assert.ThrowsAsync<ArgumentException>(() => PlanReplicaFactory.CreateAsync(
            ExecutionPlan.Parse("pipeline2"), ["cpu", "cpu:1"], new PlanReplicaOptions { CheckpointFolder = GoldenSet.Root, StageLayers = [0..1, 2..3] }));
    }

    internal static IReadOnlyList<string> Devices(int count) => [.. Enumerable.Range(0, count).Select(i => i == 0 ? "cpu" : $"cpu:{i}")];

    private static long Elements(SafetensorsCheckpoint checkpoint) => checkpoint.Keys.Sum(k => checkpoint.GetInfo(k).ElementCount);

    private static int IndexOf<T>(IReadOnlyList<T> list, T item)
        where T : class
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    // Block keys (blocks.N.*) and bridge conditioner keys (*_conditioners.N.*) belong to layer N; the rest is stem.
    private static int? LayerOf(string component, string key)
    {
        var match = component == "dual_tower_bridge" ? BridgeLayer().Match(key) : BlockLayer().Match(key);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^blocks\.(\d+)\.")]
    private static partial Regex BlockLayer();

    [GeneratedRegex(@"^\w+_conditioners\.(\d+)\.")]
    private static partial Regex BridgeLayer();
}
