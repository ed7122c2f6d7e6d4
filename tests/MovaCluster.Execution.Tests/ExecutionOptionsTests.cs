using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Mova;
using MovaCluster.Execution.TestDevices.Synthetic;
using MovaCluster.Model.Tiny;

namespace MovaCluster.Execution.Tests;

public sealed class ExecutionOptionsTests
{
    [Fact]
    public void Defaults_run_the_tiny_mova_on_one_cpu_worker()
    {
        var options = Resolve([]).GetRequiredService<IOptions<ExecutionOptions>>().Value;

        Assert.Equal(ExecutorKind.Mova, options.Executor);
        Assert.Equal(["cpu"], options.EffectiveDevices);
        Assert.Equal("", options.Mova.CheckpointPath);
        Assert.Equal(512, options.Mova.MaxPromptTokens);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once_with_its_key()
    {
        var services = Resolve(new()
        {
            ["Mova:Execution:Devices:0"] = "tpu:0",
            ["Mova:Execution:Mova:CheckpointPath"] = "/nonexistent/MOVA-360p",
            ["Mova:Execution:Mova:WeightDType"] = "float8",
            ["Mova:Execution:Mova:MaxPromptTokens"] = "0",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ExecutionOptions>>().Value);

        Assert.Equal(4, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("Mova:Execution:Mova:CheckpointPath '/nonexistent/MOVA-360p'", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("WeightDType", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Synthetic", typeof(SyntheticGenerationExecutor))]
    [InlineData("Mova", typeof(MovaGenerationExecutor))]
    public void The_configured_kind_decides_what_the_workers_build(string kind, Type expected)
    {
        var cache = Path.Combine(Path.GetTempPath(), "mova-options-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var services = Resolve(new() { ["Mova:Execution:Executor"] = kind, ["Mova:Execution:Mova:TinyModelCache"] = cache });

            using var executor = services.GetRequiredService<IGenerationExecutorFactory>().Create(DeviceContext.Parse("cpu"));

            Assert.IsType(expected, executor);
        }
        finally
        {
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }
    }

    [Fact]
    public void A_configured_checkpoint_folder_is_loaded_instead_of_the_tiny_model_under_its_own_name()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mova-options-tests-" + Guid.NewGuid().ToString("N"), "MOVA-test");
        try
        {
            TinyMovaCheckpoint.Write(folder, seed: 11);
            var services = Resolve(new() { ["Mova:Execution:Mova:CheckpointPath"] = folder });

            using var executor = services.GetRequiredService<IGenerationExecutorFactory>().Create(DeviceContext.Parse("cpu"));

            Assert.Equal("MOVA-test", executor.Description.ModelName);
            Assert.False(executor.Description.OutputIsNoise);
            Assert.Equal(1280L * 720 * 193, executor.Description.MaxVolume);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    private static ServiceProvider Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddMovaExecution()
            .BuildServiceProvider();
    }
}
