using MovaCluster.Contracts.Workers;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Tiny;

namespace MovaCluster.Execution.Mova;

/// <summary>
/// Which MOVA the workers serve, resolved from <see cref="MovaExecutorOptions"/>: the configured checkpoint folder,
/// or the tiny random-weights model (written on first use), with the name, weight dtypes and size limit that go
/// with it.
/// </summary>
public sealed record MovaModelSource(string Folder, string ModelName, bool IsTiny, DTypePolicy Policy, long MaxVolume)
{
    /// <summary>Name the tiny model's workers report; it says the output is noise, as jobs and logs should.</summary>
    public const string TinyModelName = WorkerModelNames.TinyRandomWeights;

    private const long TinyMaxVolume = 256L * 256 * 49;
    private const long CheckpointMaxVolume = 1280L * 720 * 193;

    public MovaComponentPaths Paths => MovaComponentPaths.ForCheckpoint(Folder);

    public static MovaModelSource Resolve(MovaExecutorOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tiny = settings.CheckpointPath.Length == 0;
        var folder = tiny ? TinyMovaCheckpoint.EnsureWritten(settings.TinyModelCache) : Path.GetFullPath(settings.CheckpointPath);
        var name = settings.ModelName.Length > 0 ? settings.ModelName
            : tiny ? TinyModelName
            : Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var policy = settings.WeightDType == "bfloat16" ? DTypePolicy.BFloat16 : DTypePolicy.Float32;
        var maxVolume = settings.MaxVolume > 0 ? settings.MaxVolume : tiny ? TinyMaxVolume : CheckpointMaxVolume;
        return new MovaModelSource(folder, name, tiny, policy, maxVolume);
    }

    /// <summary>What a worker serving this model reports (the process's memory stands in for a cpu device's).</summary>
    public ExecutorDescription Describe(IReadOnlyList<string>? shards = null) => new()
    {
        ModelName = ModelName,
        OutputIsNoise = IsTiny,
        MaxVolume = MaxVolume,
        MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        Shards = shards ?? ["all"],
        WeightDType = Policy.WeightDType == TorchSharp.torch.ScalarType.BFloat16 ? "bfloat16" : "float32",
    };
}
