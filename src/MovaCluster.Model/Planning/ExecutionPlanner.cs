namespace MovaCluster.Model.Planning;

/// <summary>
/// Enumerates the plans that can run MOVA on the given GPUs (replicas, layer-range pipelines, expert stages,
/// CFG-parallel pairs and their combinations), predicts each, drops those that do not fit, and picks the best for
/// the operator's objective, or checks the plan the operator pinned.
/// </summary>
public sealed class ExecutionPlanner(PlanEstimator estimator)
{
    private static readonly int[] StageCounts = [1, 2, 3, 4, 5, 6, 8];

    public IReadOnlyList<PlanPrediction> Candidates()
    {
        var plans = new List<ExecutionPlan>();
        foreach (var stages in StageCounts)
        {
            foreach (var split in new[] { false, true })
            {
                foreach (var cfg in new[] { false, true })
                {
                    plans.Add(new ExecutionPlan(stages, split, cfg));
                }
            }
        }

        return plans.Select(estimator.Predict).ToList();
    }

    /// <summary>The best fitting plan for the objective; throws when nothing fits, naming why the simplest plans failed.</summary>
    public PlanPrediction Choose(PlannerObjective objective, string? pinnedPlan = null)
    {
        if (!string.IsNullOrWhiteSpace(pinnedPlan))
        {
            var pinned = estimator.Predict(ExecutionPlan.Parse(pinnedPlan));
            return pinned.Fits
                ? pinned
                : throw new InvalidOperationException($"The pinned plan '{pinnedPlan}' does not fit: {pinned.Rejection}.");
        }

        var candidates = Candidates();
        var fitting = candidates.Where(c => c.Fits).ToList();
        if (fitting.Count == 0)
        {
            var reasons = string.Join("; ", candidates.Take(4).Select(c => $"{c.Plan}: {c.Rejection}"));
            throw new InvalidOperationException($"No execution plan fits {estimator.Hardware.GpuCount} x {estimator.Hardware.Device.Name}: {reasons}.");
        }

        return objective == PlannerObjective.Throughput
            ? fitting.OrderByDescending(c => c.JobsPerHour).ThenBy(c => c.JobLatencySeconds).ThenBy(c => c.Plan.GpusPerReplica).First()
            : fitting.OrderBy(c => c.JobLatencySeconds).ThenByDescending(c => c.JobsPerHour).ThenBy(c => c.Plan.GpusPerReplica).First();
    }
}
