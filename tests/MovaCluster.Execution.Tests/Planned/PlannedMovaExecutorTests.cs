using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Mova;
using MovaCluster.Execution.Planned;
using MovaCluster.Execution.Tests.Support;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.Execution.Tests.Planned;

/// <summary>
/// A worker device fronting a device group: the MOVA executor whose denoiser runs on a plan's replica produces the
/// single-device executor's frames and PCM bit for bit, for a job from prompt to decoded output.
/// </summary>
public sealed class PlannedMovaExecutorTests : IDisposable
{
    private static readonly GenerationJob Job = TinyJobs.Create("planned-1", "A drummer on a rooftop at dusk.", seed: 7);

    private readonly string _cache = Path.Combine(Path.GetTempPath(), "mova-planned-tests-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("pipeline2+cfg", "cpu, cpu:1, cpu:2, cpu:3")]
    [InlineData("experts", "cpu,cpu:1")]
    public async Task A_job_on_a_device_group_equals_the_single_device_job(string plan, string devices)
    {
        var group = devices.Split(',', StringSplitOptions.TrimEntries);
        var execution = Execution();
        var single = new MovaExecutorFactory(execution, Options.Create(new TextEmbeddingCacheOptions()), Options.Create(new ReferenceImageOptions()), NullLogger<MovaExecutorFactory>.Instance);
        var planned = new PlannedMovaExecutorFactory(
            execution,
            Options.Create(new PlannedExecutionOptions { Plan = plan, DeviceGroups = [devices] }),
            Options.Create(new TextEmbeddingCacheOptions()),
            Options.Create(new ReferenceImageOptions()),
            NullLogger<PlannedMovaExecutorFactory>.Instance);
        using var expectedExecutor = single.Create(new DeviceContext("cpu", torch.CPU));
        var expected = expectedExecutor.Execute(Job, new RecordingObserver(), CancellationToken.None);

        // The way a worker grain runs it: a device worker thread builds the executor and runs the job.
        await using var worker = new DeviceWorker(new DeviceContext("cpu", torch.CPU), planned, NullLogger<DeviceWorker>.Instance);
        var description = await worker.Ready;
        var observer = new RecordingObserver();
        var actual = await worker.RunAsync(executor => executor.Execute(Job, observer, CancellationToken.None));

        Assert.Equal(group.Length, description.Shards.Count);
        Assert.All(group, d => Assert.Contains(description.Shards, s => s.StartsWith(d + ":", StringComparison.Ordinal)));
        Assert.Equal([1, 2, 3, 4], observer.Steps);
        Assert.Equal(expected.VideoBytes(), actual.VideoBytes());
        Assert.Equal(expected.AudioSamples, actual.AudioSamples);
    }

    [Fact]
    public void Device_groups_are_checked_against_the_plan_and_the_workers()
    {
        // cpu names: parsing a cuda name initialises CUDA, which this machine does not have.
        var execution = Options.Create(new ExecutionOptions { Devices = ["cpu", "cpu:2", "cpu:4"] });
        var validator = new PlannedExecutionOptionsValidator(execution);
        var result = validator.Validate(null, new PlannedExecutionOptions
        {
            Plan = "pipeline2",
            DeviceGroups = ["cpu,cpu:1", "cpu:2,cpu:1,gpu:3", "cpu:9,cpu:8"],
        });
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("no group starting with worker device 'cpu:4'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("device 'cpu:1' is in groups 0 and 1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("DeviceGroups:1 lists 3 devices", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("gpu:3", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("starts with 'cpu:9', which runs no worker", StringComparison.Ordinal));
        Assert.True(validator.Validate(null, new PlannedExecutionOptions { Plan = "replica" }).Succeeded);
    }

    [Fact]
    public void Device_groups_in_configuration_route_mova_workers_to_the_planned_factory_which_can_also_be_forced()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mova:Execution:Devices:0"] = "cpu",
            ["Mova:Execution:Planned:Plan"] = "cfg",
            ["Mova:Execution:Planned:DeviceGroups:0"] = "cpu,cpu:1",
        }).Build());
        services.AddLogging();
        services.AddMovaExecution();
        using (var configured = services.BuildServiceProvider())
        {
            Assert.IsType<ConfiguredExecutorFactory>(configured.GetRequiredService<IGenerationExecutorFactory>());
            Assert.NotNull(configured.GetRequiredService<PlannedMovaExecutorFactory>());
        }

        services.AddMovaPlannedExecution();
        using var provider = services.BuildServiceProvider();
        Assert.IsType<PlannedMovaExecutorFactory>(provider.GetRequiredService<IGenerationExecutorFactory>());
        Assert.Equal(["cpu", "cpu:1"], provider.GetRequiredService<IOptions<PlannedExecutionOptions>>().Value.GroupOf("cpu"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    private IOptions<ExecutionOptions> Execution()
    {
        var options = new ExecutionOptions { Executor = ExecutorKind.Mova };
        options.Mova.TinyModelCache = _cache;
        options.Mova.MaxPromptTokens = 32;
        return Options.Create(options);
    }
}
