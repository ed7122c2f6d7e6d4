using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.TestDevices.CostModel;
using MovaCluster.Execution.Tests.Support;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Pipeline;
using MovaCluster.Planning;

namespace MovaCluster.Execution.Tests.TestDevices;

/// <summary>The cost-model device books exactly the planner's times, shares a replica's GPUs between its job slots, and is opt-in.</summary>
public sealed class CostModelExecutorTests
{
    // One simulated hour per 3.6 ms of wall time: a whole 360p job runs in well under a second.
    private const double Compression = 1_000_000;

    public static TheoryData<string, int> PlansAndTiers() => new()
    {
        { "replica", 80 },
        { "pipeline2", 48 },
        { "cfg", 80 },
        { "experts", 48 },
        { "pipeline2+experts", 48 },
        { "pipeline2+experts+cfg", 48 },
        { "replica", 48 },
    };

    [Theory]
    [MemberData(nameof(PlansAndTiers))]
    public void An_idle_replica_takes_the_planners_unloaded_latency_step_by_step(string plan, int memoryGb)
    {
        var options = new CostModelExecutorOptions { Plan = plan, GpuMemoryGb = memoryGb, TimeCompression = Compression };
        var parsed = ExecutionPlan.Parse(plan);
        var timeline = new SimulatedReplicaTimeline(parsed.GpusPerReplica, Compression);
        using var executor = new CostModelGenerationExecutor(MovaArchitecture.Mova, options, timeline);
        var job = Job("360p", 640, 352);
        var workload = new WorkloadShape("job", 640, 352, 193);
        var estimator = new PlanEstimator(MovaArchitecture.Mova, workload, new ClusterHardware(DeviceCatalog.ForMemoryTier(memoryGb), parsed.GpusPerReplica));
        var layout = executor.LayoutFor(workload);
        var observer = new DurationObserver();

        var output = executor.Execute(job, observer, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 50), observer.Steps);
        Assert.Equal([GenerationPhase.Encoding, GenerationPhase.DenoisingHighNoise, GenerationPhase.DenoisingLowNoise, GenerationPhase.Decoding], observer.Phases);
        Assert.Equal(workload.HighNoiseSteps, observer.Experts.Count(e => e == VideoExpert.HighNoise));
        var simulatedDenoise = observer.SimulatedSeconds.Sum();
        var swaps = layout.StageSwapSeconds.Max();
        var handOver = parsed.SplitExperts ? layout.HandOffSeconds : 0;
        // The estimator's round trip charges one hand-off per stage; a single-stage pipeline hands nothing on (as in the simulator).
        var roundTrip = estimator.StepRoundTrip(layout) - (layout.Stages == 1 ? layout.HandOffSeconds : 0);
        var expected = (workload.Steps * roundTrip) + handOver + swaps;
        Assert.InRange(simulatedDenoise, expected * (1 - 1e-9), expected * (1 + 1e-9));
        Assert.Equal(640 * 352 * 3, output.VideoBytes().Length);
        Assert.Contains("cost-model", executor.Description.ModelName, StringComparison.Ordinal);
        Assert.True(executor.Description.OutputIsNoise);
    }

    [Fact]
    public void Two_jobs_on_one_gpu_take_turns_and_a_pipeline_overlaps_them()
    {
        var single = new SimulatedReplicaTimeline(1, Compression);
        var start = single.Now + 100;
        var first = single.Book(0, start, 10);
        var second = single.Book(0, start, 10);
        Assert.Equal(start + 10, first, 9);
        Assert.Equal(start + 20, second, 9);
        // A later booking fills an earlier gap that is long enough, and skips one that is too short.
        var gapFill = single.Book(0, start - 50, 5);
        Assert.Equal(start - 45, gapFill, 9);
        var late = single.Book(0, start - 3, 5);
        Assert.Equal(start + 25, late, 9);

        var pipeline = new SimulatedReplicaTimeline(2, Compression);
        var origin = pipeline.Now + 100;
        var jobA = pipeline.Book(1, pipeline.Book(0, origin, 10), 10);
        var jobB = pipeline.Book(1, pipeline.Book(0, origin, 10), 10);
        Assert.Equal(origin + 20, jobA, 9);
        Assert.Equal(origin + 30, jobB, 9);
    }

    [Fact]
    public void Swapping_plans_pay_the_copy_only_when_the_resident_expert_changes()
    {
        var timeline = new SimulatedReplicaTimeline(1, Compression);
        var at = timeline.Now + 100;
        Assert.Equal(at, timeline.MakeResident(0, 0, at, 7), 9);
        Assert.Equal(at + 7, timeline.MakeResident(0, 1, at, 7), 9);
        Assert.Equal(at + 7, timeline.MakeResident(0, 1, at + 7, 7), 9);
    }

    [Fact]
    public void The_high_noise_group_admits_its_capacity_and_the_next_job_after_a_switch()
    {
        var timeline = new SimulatedReplicaTimeline(2, Compression);
        var first = timeline.EnterHighNoiseGroup(1, CancellationToken.None);
        using (var waiting = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => timeline.EnterHighNoiseGroup(1, waiting.Token));
        }

        first.Dispose();
        first.Dispose();
        using var second = timeline.EnterHighNoiseGroup(1, CancellationToken.None);
        using (var waiting = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => timeline.EnterHighNoiseGroup(1, waiting.Token));
        }
    }

    [Fact]
    public void Cancellation_stops_at_a_step_boundary()
    {
        using var executor = new CostModelGenerationExecutor(
            MovaArchitecture.Mova, new CostModelExecutorOptions { TimeCompression = 10 }, new SimulatedReplicaTimeline(1, 10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var observer = new DurationObserver();
        Assert.ThrowsAny<OperationCanceledException>(() => executor.Execute(Job("360p", 640, 352), observer, cancel.Token));
        Assert.True(observer.Steps.Count < 50);
    }

    [Fact]
    public void Resuming_skips_the_checkpointed_steps()
    {
        using var executor = new CostModelGenerationExecutor(
            MovaArchitecture.Mova, new CostModelExecutorOptions { TimeCompression = Compression }, new SimulatedReplicaTimeline(1, Compression));
        var observer = new DurationObserver();
        var resume = new DenoiseCheckpoint(30, new LatentBuffer([1], [30]), new LatentBuffer([1], [30]));
        executor.Execute(Job("360p", 640, 352) with { ResumeFrom = resume }, observer, CancellationToken.None);
        Assert.Equal(Enumerable.Range(31, 20), observer.Steps);
    }

    [Fact]
    public void The_cost_model_is_opt_in_replaces_the_factory_and_validates_every_setting()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddMovaExecution();
        Assert.Contains(services, d => d.ServiceType == typeof(IGenerationExecutorFactory) && d.ImplementationType != typeof(CostModelExecutorFactory));
        services.AddMovaCostModelExecution();
        services.Configure<CostModelExecutorOptions>(o =>
        {
            o.Plan = "pipeline0+weird";
            o.GpuMemoryGb = 40;
            o.TimeCompression = 0;
            o.WorkersPerReplica = 0;
        });
        using var provider = services.BuildServiceProvider();
        Assert.IsType<CostModelExecutorFactory>(provider.GetRequiredService<IGenerationExecutorFactory>());
        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CostModelExecutorOptions>>().Value);
        Assert.Equal(4, failure.Failures.Count());
    }

    [Fact]
    public void Workers_of_one_replica_share_its_timeline()
    {
        var factory = new CostModelExecutorFactory(Options.Create(new CostModelExecutorOptions { Plan = "pipeline2", WorkersPerReplica = 3, TimeCompression = Compression }));
        using var a = (CostModelGenerationExecutor)factory.Create(DeviceContext.Parse("cpu"));
        using var b = (CostModelGenerationExecutor)factory.Create(DeviceContext.Parse("cpu:2"));
        using var c = (CostModelGenerationExecutor)factory.Create(DeviceContext.Parse("cpu:3"));
        Assert.Same(a.Timeline, b.Timeline);
        Assert.NotSame(a.Timeline, c.Timeline);
        Assert.Equal(2, a.Timeline.Gpus);
    }

    private static GenerationJob Job(string id, int width, int height) => new()
    {
        JobId = id,
        Request = new GenerationRequest
        {
            Prompt = "p",
            Width = width,
            Height = height,
            FrameCount = 193,
            Steps = 50,
            GuidanceScale = 5,
        },
        Seed = 1,
    };

    private sealed class DurationObserver : IGenerationObserver
    {
        public List<GenerationPhase> Phases { get; } = [];

        public List<int> Steps { get; } = [];

        public List<VideoExpert> Experts { get; } = [];

        public List<double> SimulatedSeconds { get; } = [];

        public void OnPhase(GenerationPhase phase) => Phases.Add(phase);

        public void OnStep(IDenoiseStepState step)
        {
            Steps.Add(step.CompletedSteps);
            Experts.Add(step.Expert);
            SimulatedSeconds.Add(Assert.IsType<CostModelStepState>(step).SimulatedSeconds);
            Assert.True(step.Duration > TimeSpan.Zero);
            step.CaptureCheckpoint();
            step.CapturePreview(4);
        }
    }
}
