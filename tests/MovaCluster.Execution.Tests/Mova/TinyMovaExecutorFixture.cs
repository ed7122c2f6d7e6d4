using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Mova;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.Execution.Tests.Mova;

/// <summary>The tiny random-weights MOVA, generated into a private cache folder and loaded once by the real factory.</summary>
public sealed class TinyMovaExecutorFixture : IDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "mova-executor-tests-" + Guid.NewGuid().ToString("N"));

    public TinyMovaExecutorFixture()
    {
        var options = new ExecutionOptions { Executor = ExecutorKind.Mova };
        options.Mova.TinyModelCache = _cache;
        options.Mova.MaxPromptTokens = 32;
        Factory = new MovaExecutorFactory(
            Options.Create(options),
            Options.Create(new TextEmbeddingCacheOptions()),
            Options.Create(new ReferenceImageOptions()),
            NullLogger<MovaExecutorFactory>.Instance);
        Executor = Factory.Create(new DeviceContext("cpu", torch.CPU));
    }

    public MovaExecutorFactory Factory { get; }

    public IGenerationExecutor Executor { get; }

    public void Dispose()
    {
        Executor.Dispose();
        Directory.Delete(_cache, recursive: true);
    }
}
