namespace MovaCluster.Contracts.Workers;

/// <summary>What a worker is: where it lives, its device and memory, the model it holds and how big a job fits.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.WorkerDescriptor")]
public sealed record WorkerDescriptor
{
    /// <summary>"{silo name}/{device}", also the worker grain's key.</summary>
    [Id(0)] public required string WorkerId { get; init; }

    [Id(1)] public required string SiloName { get; init; }

    [Id(2)] public required string SiloAddress { get; init; }

    /// <summary>"cpu", "cpu:1", "cuda:0", ...</summary>
    [Id(3)] public required string Device { get; init; }

    [Id(4)] public long MemoryBytes { get; init; }

    [Id(5)] public required string ModelName { get; init; }

    /// <summary>Largest width x height x frames the worker has room for.</summary>
    [Id(6)] public long MaxVolume { get; init; }

    /// <summary>Model shards this worker holds (the whole model today; layer ranges or expert stages later).</summary>
    [Id(7)] public IReadOnlyList<string> Shards { get; init; } = [];

    /// <summary>True when the worker's model has random or no weights, so its output is noise.</summary>
    [Id(8)] public bool OutputIsNoise { get; init; }

    /// <summary>Dtype of the loaded weights ("float32", "bfloat16"); null for test devices without a model.</summary>
    [Id(9)] public string? WeightDType { get; init; }

    /// <summary>
    /// Digests of the LoRA adapters bound on the worker's device now, most recently used first (sent with every work
    /// request and heartbeat, so the queue can send a job to a worker that holds its adapters).
    /// </summary>
    [Id(10)] public IReadOnlyList<string> HeldLoras { get; init; } = [];
}
