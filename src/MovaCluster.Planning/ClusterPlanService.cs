using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MovaCluster.Planning;

/// <summary>Chooses (or checks the pinned) execution plan for the configured fleet once, and logs it with its prediction.</summary>
public sealed partial class ClusterPlanService(IOptions<PlannerOptions> options, ILogger<ClusterPlanService> logger)
{
    private readonly Lazy<PlanPrediction> _active = new(() => Choose(options.Value, logger));

    /// <summary>The active plan; throws (naming why) when nothing fits the configured fleet.</summary>
    public PlanPrediction Active => _active.Value;

    public IReadOnlyList<PlanPrediction> Candidates() =>
        new ExecutionPlanner(new PlanEstimator(MovaArchitecture.Mova, options.Value.Workload(), options.Value.Hardware())).Candidates();

    private static PlanPrediction Choose(PlannerOptions options, ILogger logger)
    {
        var estimator = new PlanEstimator(MovaArchitecture.Mova, options.Workload(), options.Hardware());
        var chosen = new ExecutionPlanner(estimator).Choose(options.Objective, options.Plan);
        LogPlanChosen(logger, chosen.Plan.Name, string.IsNullOrWhiteSpace(options.Plan) ? options.Objective.ToString() : "pinned", options.GpuCount,
            estimator.Hardware.Device.Name, options.Resolution, chosen.JobsPerHour, chosen.JobLatencySeconds, chosen.PeakDeviceBytes / (double)(1L << 30), chosen.Replicas);
        return chosen;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Execution plan {Plan} ({Reason}) for {GpuCount} x {Gpu} at {Resolution}: {JobsPerHour:F2} jobs/h and {LatencySeconds:F0} s per job predicted, peak {PeakGiB:F1} GiB per device, {Replicas} replica(s)")]
    private static partial void LogPlanChosen(ILogger logger, string plan, string reason, int gpuCount, string gpu, string resolution,
        double jobsPerHour, double latencySeconds, double peakGiB, int replicas);
}
