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
        // mova-tiny ships no text encoder and no video VAE: absent components weigh nothing.
        Assert.Equal(0, architecture.TextEncoderParameters);
        Assert.Equal(0, architecture.VideoVaeParameters);
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
        var workload = new WorkloadShape("tiny", 32, 32, 9, Steps: 4);
        var estimator = new PlanEstimator(architecture, workload, new ClusterHardware(DeviceCatalog.Gpu24, 4));
        var candidates = new ExecutionPlanner(estimator).Candidates();
        var pipeline3 = Assert.Single(candidates, c => c.Plan.Name == "pipeline3");
        Assert.True(pipeline3.Fits, pipeline3.Rejection);
        Assert.Equal([0..1, 1..2, 2..3], pipeline3.Layout!.StageLayers);
        Assert.Contains(candidates, c => c.Plan.Name == "pipeline4" && !c.Fits && c.Rejection!.Contains("only 3 layers", StringComparison.Ordinal));

        var pipeline2 = Assert.Single(candidates, c => c.Plan.Name == "pipeline2+cfg");
        await using var replica = await PlanReplicaFactory.CreateAsync(
            pipeline2.Plan, PlanReplicaTests.Devices(4), new PlanReplicaOptions { CheckpointFolder = GoldenSet.Root, StageLayers = pipeline2.Layout!.StageLayers });
        using var golden = new GoldenCase("sampling_loop");
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
        Assert.Equal([0..3], planner.Active.Layout!.StageLayers);
    }

    [Fact]
    public void A_folder_without_the_towers_is_rejected_with_its_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-mova-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<DirectoryNotFoundException>(() => MovaArchitectureReader.FromCheckpoint(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    private static long Count(torch.nn.Module module) => module.parameters().Sum(p => p.numel());

    private static long ManifestParameters(string component) =>
        GoldenSet.Manifest.GetProperty("components").GetProperty(component).GetProperty("num_params").GetInt64();
}
