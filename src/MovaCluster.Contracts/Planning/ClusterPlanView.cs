namespace MovaCluster.Contracts.Planning;

/// <summary>The execution plan the cluster runs and what the planner predicted for it, as the API and dashboard show it.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.ClusterPlanView")]
public sealed record ClusterPlanView
{
    /// <summary>Plan name (e.g. <c>replica</c>, <c>pipeline4</c>, <c>experts+cfg</c>); null when nothing fits.</summary>
    [Id(0)] public string? Plan { get; init; }

    /// <summary>Throughput, Latency, or "pinned" when the operator fixed the plan.</summary>
    [Id(1)] public required string Reason { get; init; }

    [Id(2)] public int GpuCount { get; init; }

    [Id(3)] public required string Gpu { get; init; }

    [Id(4)] public required string Resolution { get; init; }

    [Id(5)] public double PredictedJobsPerHour { get; init; }

    [Id(6)] public double PredictedLatencySeconds { get; init; }

    [Id(7)] public double PeakDeviceGiB { get; init; }

    [Id(8)] public int Replicas { get; init; }

    [Id(9)] public int GpusPerReplica { get; init; }

    /// <summary>How the two video experts are held: BothResident, SwapAtSwitch or OnePerGroup.</summary>
    [Id(10)] public string? ExpertResidency { get; init; }

    /// <summary>Why no plan fits, when <see cref="Plan"/> is null.</summary>
    [Id(11)] public string? Error { get; init; }

    [Id(12)] public DateTimeOffset ChosenAt { get; init; }

    /// <summary>The silo that planned.</summary>
    [Id(13)] public string? Silo { get; init; }
}
