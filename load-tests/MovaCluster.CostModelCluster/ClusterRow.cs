using MovaCluster.Planning;

namespace MovaCluster.CostModelCluster;

/// <summary>One grid cell: the plan the planner chose, its prediction, and what the cost-model cluster delivered.</summary>
internal sealed record ClusterRow(
    string Workload,
    int Gpus,
    int MemoryGb,
    PlanPrediction? Prediction,
    int Silos,
    int Workers,
    int Jobs,
    double Compression,
    double MeasuredJobsPerHour,
    double WallSeconds,
    string? Rejection,
    PlannerObjective Objective)
{
    public double Error => Prediction is null ? 0 : (MeasuredJobsPerHour / Prediction.JobsPerHour) - 1;
}
