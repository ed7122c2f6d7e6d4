using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MovaCluster.Execution.Planned;
using MovaCluster.Execution.Sizing;
using MovaCluster.Execution.Tests.Planned;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using MovaCluster.Model.Text;
using MovaCluster.Planning;
using TorchSharp;

namespace MovaCluster.Execution.Tests.Sizing;

/// <summary>The planner's architecture read from a checkpoint folder sizes the modules the loader actually builds.</summary>
public sealed class MovaArchitectureReaderTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void Tiny_architecture_parameter_counts_equal_the_loaded_modules()
    {
        var architecture = MovaArchitectureReader.FromCheckpoint(GoldenSet.Root);
        var denoiser = fixture.Denoiser;

        Assert.Equal(Count(denoiser.HighNoise), architecture.VideoExpert.TotalParameters);
        Assert.Equal(Count(denoiser.LowNoise), architecture.VideoExpert.TotalParameters);
        Assert.Equal(Count(denoiser.Audio), architecture.Audio.TotalParameters);
        Assert.Equal(Count(denoiser.Bridge), architecture.Bridge.TotalParameters);
        Assert.Equal(denoiser.LayerCount, architecture.StackLayers);
        Assert.Equal(ManifestParameters("video_dit"), architecture.VideoExpert.TotalParameters);
        Assert.Equal(ManifestParameters("audio_dit"), architecture.Audio.TotalParameters);

        using var dac = SafetensorsCheckpoint.Open(GoldenSet.Component("audio_vae"));
        Assert.Equal(dac.Keys.Sum(k => dac.GetInfo(k).ElementCount), architecture.AudioVaeParameters);
        // Components the set does not ship (the tiny set has no text encoder and no video VAE) weigh nothing.
        Assert.Equal(ManifestParametersOrZero("text_encoder"), architecture.TextEncoderParameters);
        Assert.Equal(ManifestParametersOrZero("video_vae"), architecture.VideoVaeParameters);
    }

    [Fact]
    public void Text_encoder_parameters_from_config_equal_the_built_umt5()
    {
        var folder = CodecGoldenSet.Component("text_encoder");
        using var model = new Umt5EncoderModel(Umt5Config.Load(folder), torch.CPU);
        Assert.Equal(Count(model), MovaArchitectureReader.TextEncoderParameters(folder));
    }

    [Fact]
    public async Task The_planner_plans_the_tiny_checkpoint_and_its_layout_drives_a_replica()
    {
        var architecture = MovaArchitectureReader.FromCheckpoint(GoldenSet.Root);
        var layers = GoldenSet.StackLayers;
        Assert.Equal(layers, architecture.StackLayers);
        using var golden = new GoldenCase(GoldenSet.LoopCase());
        var p = golden.Params;
        var geometry = p.GetProperty("geometry");
        var cfg = p.GetProperty("cfg_scale").GetDouble();
        var workload = new WorkloadShape(
            "golden", geometry.GetProperty("width").GetInt32(), geometry.GetProperty("height").GetInt32(), geometry.GetProperty("num_frames").GetInt32(),
            Fps: geometry.GetProperty("video_fps").GetDouble(), Steps: p.GetProperty("num_inference_steps").GetInt32(), GuidanceScale: cfg);
        // Enough GPUs in one node for every stage count the planner tries, so only the stack depth limits pipelines.
        var estimator = new PlanEstimator(architecture, workload, new ClusterHardware(DeviceCatalog.Gpu24, 32, GpusPerNode: 32));
        var candidates = new ExecutionPlanner(estimator).Candidates();
        Assert.All(candidates.Where(c => c.Plan.PipelineStages > layers && (!c.Plan.CfgParallel || cfg != 1.0)), c => Assert.Contains($"only {layers} layers", c.Rejection, StringComparison.Ordinal));
        Assert.All(candidates.Where(c => c.Fits), c =>
        {
            var ranges = c.Layout!.StageLayers;
            Assert.Equal(c.Plan.PipelineStages, ranges.Count);
            Assert.Equal(Enumerable.Range(0, layers), ranges.SelectMany(r => Enumerable.Range(r.Start.Value, r.End.Value - r.Start.Value)));
        });
        if (candidates.SingleOrDefault(c => c.Plan == new ExecutionPlan(layers, false, false)) is { } deepest)
        {
            Assert.True(deepest.Fits, deepest.Rejection);
            Assert.Equal(Enumerable.Range(0, layers).Select(i => new Range(i, i + 1)), deepest.Layout!.StageLayers);
        }

        var stages = Math.Min(2, layers);
        var chosen = Assert.Single(candidates, c => c.Plan == new ExecutionPlan(stages, false, cfg != 1.0));
        Assert.True(chosen.Fits, chosen.Rejection);
        await using var replica = await PlanReplicaFactory.CreateAsync(
            chosen.Plan, PlanReplicaTests.Devices(chosen.Plan.GpusPerReplica), new PlanReplicaOptions { CheckpointFolder = GoldenSet.Root, StageLayers = chosen.Layout!.StageLayers });
        var (request, options, _) = SamplingLoopCase.Build(golden);
        using var condition = request.Condition;
        using var expected = MovaSampler.Run(new LocalStepExecutor(fixture.Denoiser), request, options);
        using var actual = await replica.Sampler.SampleAsync(request, options);
        TensorAssert.Equal(actual.VideoLatents, expected.VideoLatents, "video");
        TensorAssert.Equal(actual.AudioLatents, expected.AudioLatents, "audio");
    }

    [Fact]
    public void The_cluster_plan_service_plans_for_the_registered_checkpoint()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mova:Planner:GpuMemoryGb"] = "24",
        }).Build());
        services.AddLogging();
        services.AddMovaPlanner();
        services.AddMovaCheckpointArchitecture(GoldenSet.Root);
        using var provider = services.BuildServiceProvider();
        var planner = provider.GetRequiredService<ClusterPlanService>();

        Assert.Equal(ManifestParameters("video_dit"), planner.Architecture.VideoExpert.TotalParameters);
        // The built-in MOVA fits no single 24 GB card; the tiny checkpoint is one replica on it.
        Assert.Equal(ExecutionPlan.SingleDevice, planner.Active.Plan);
        Assert.Equal([0..GoldenSet.StackLayers], planner.Active.Layout!.StageLayers);
    }

    [Fact]
    public void A_folder_without_the_towers_is_rejected_with_its_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-mova-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<DirectoryNotFoundException>(() => MovaArchitectureReader.FromCheckpoint(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    private static long Count(torch.nn.Module module) => module.parameters().Sum(p => p.numel());

    private static long ManifestParametersOrZero(string component) =>
        GoldenSet.Manifest.GetProperty("components").TryGetProperty(component, out var entry) ? entry.GetProperty("num_params").GetInt64() : 0;

    private static long ManifestParameters(string component) =>
        GoldenSet.Manifest.GetProperty("components").GetProperty(component).GetProperty("num_params").GetInt64();
}
