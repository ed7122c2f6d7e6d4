namespace MovaCluster.Model.Planning;

/// <summary>
/// One replica of a plan, laid out on concrete devices: what each stage runs and holds, and where the encoders and
/// decoders sit. Both the analytical prediction and the simulator work from this same layout.
/// </summary>
public sealed record ReplicaLayout
{
    public required ExecutionPlan Plan { get; init; }

    /// <summary>Layer range of each pipeline stage.</summary>
    public required IReadOnlyList<Range> StageLayers { get; init; }

    /// <summary>Seconds one stage needs for one model pass (one CFG branch).</summary>
    public required IReadOnlyList<double> StagePassSeconds { get; init; }

    /// <summary>Seconds to hand the residual streams from one stage to the next.</summary>
    public required double HandOffSeconds { get; init; }

    /// <summary>Seconds to copy a stage's expert layers in from pinned host memory (swap residency only).</summary>
    public required IReadOnlyList<double> StageSwapSeconds { get; init; }

    public required ExpertResidency Residency { get; init; }

    /// <summary>Model passes each pipeline runs per step (2 with CFG on one pipeline, 1 with CFG-parallel pairs or no CFG).</summary>
    public required int PassesPerPipeline { get; init; }

    /// <summary>Memory held by each device of the replica, in the order pipelines x stages.</summary>
    public required IReadOnlyList<long> DeviceBytes { get; init; }

    /// <summary>Device (index into <see cref="DeviceBytes"/>) running the UMT5 text encoder; -1 = host CPU.</summary>
    public required int TextEncoderDevice { get; init; }

    public required double TextEncodeSeconds { get; init; }

    /// <summary>Device running the video VAE (encode and decode) and the DAC decoder.</summary>
    public required int CodecDevice { get; init; }

    public required double VaeEncodeSeconds { get; init; }

    public required double DecodeSeconds { get; init; }

    /// <summary>Muxing and upload on the host, overlapped with the replica's next job.</summary>
    public required double HostTailSeconds { get; init; }

    /// <summary>Jobs a replica keeps in flight so every stage stays busy.</summary>
    public required int JobsInFlight { get; init; }

    public int Stages => StageLayers.Count;

    /// <summary>Device index of stage <paramref name="stage"/> of pipeline <paramref name="pipeline"/> (0: high-noise / positive).</summary>
    public int DeviceOf(int pipeline, int stage) => (pipeline * Stages) + stage;
}
