namespace MovaCluster.Execution;

/// <summary>What an executor holds, reported by its worker when it registers.</summary>
public sealed record ExecutorDescription
{
    /// <summary>Model name as jobs name it and as it appears on the job (e.g. "mova-tiny-random (noise)").</summary>
    public required string ModelName { get; init; }

    /// <summary>True when the weights are random or absent, so the output is noise.</summary>
    public bool OutputIsNoise { get; init; }

    /// <summary>Largest width x height x frames that fits next to the loaded weights.</summary>
    public long MaxVolume { get; init; }

    /// <summary>Device memory the executor may use.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>Shards loaded (whole-model today; layer ranges or expert stages for multi-device plans).</summary>
    public IReadOnlyList<string> Shards { get; init; } = ["all"];

    /// <summary>Dtype of the loaded weights ("float32", "bfloat16"); null for test devices without a model.</summary>
    public string? WeightDType { get; init; }
}
