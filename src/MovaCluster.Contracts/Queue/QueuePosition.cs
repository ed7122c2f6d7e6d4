namespace MovaCluster.Contracts.Queue;

/// <summary>Where a queued job stands: jobs ahead of it, the expected wait until it starts and its own predicted run.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.QueuePosition")]
public sealed record QueuePosition
{
    [Id(0)] public int Position { get; init; }

    [Id(1)] public TimeSpan? EstimatedWait { get; init; }

    /// <summary>The job's own predicted run once started (startup, encoding, steps, decoding, muxing, uploading).</summary>
    [Id(2)] public TimeSpan? EstimatedRun { get; init; }
}
