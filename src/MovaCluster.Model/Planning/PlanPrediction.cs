namespace MovaCluster.Model.Planning;

/// <summary>What a plan is expected to do on given hardware, or why it cannot run there.</summary>
public sealed record PlanPrediction
{
    public required ExecutionPlan Plan { get; init; }

    public required bool Fits { get; init; }

    /// <summary>Why the plan was rejected; null when it fits.</summary>
    public string? Rejection { get; init; }

    public int Replicas { get; init; }

    public int GpusUsed { get; init; }

    /// <summary>The fullest device's memory, bytes.</summary>
    public long PeakDeviceBytes { get; init; }

    public double JobLatencySeconds { get; init; }

    public double JobsPerHour { get; init; }

    public ReplicaLayout? Layout { get; init; }

    public static PlanPrediction Rejected(ExecutionPlan plan, string reason) => new() { Plan = plan, Fits = false, Rejection = reason };
}
